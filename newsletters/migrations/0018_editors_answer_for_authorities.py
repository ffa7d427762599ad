# Editors answer actions on an authority's behalf: they change its responses in the admin.
from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("actionresponse", "historicalactionresponse")


def grant_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    app_config = apps.get_app_config("newsletters")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="newsletters", content_type__model__in=MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0017_action_responses"),
        ("seslip", "0001_roles"),
    ]
    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
