from django.contrib.auth.management import create_permissions
from django.db import migrations

READER_GROUPS = ["DCS PAs", "Leads", "Programme staff"]  # DCSs exist already (0001_roles)
EDITOR_MODELS = [("contacts", "membership")]


def create_reader_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in READER_GROUPS:
        Group.objects.get_or_create(name=name)
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, model in EDITOR_MODELS:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model
            )
        )


def remove_reader_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=READER_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("seslip", "0001_roles"), ("contacts", "0003_membership")]
    operations = [migrations.RunPython(create_reader_roles, remove_reader_roles)]
