from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CONVENERS = "Network conveners"
DCSS = "DCSs"
EDITOR_APPS = ("contacts", "networks", "newsletters")
CONVENER_PERMISSIONS = (
    ("networks", "view_network"),
    ("networks", "view_meeting"),
    ("networks", "add_meeting"),
    ("networks", "change_meeting"),
)


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    conveners, _ = Group.objects.get_or_create(name=CONVENERS)
    conveners.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in CONVENER_PERMISSIONS
        ]
    )
    Group.objects.get_or_create(name=DCSS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, CONVENERS, DCSS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0002_south_east_authorities"),
        ("networks", "0001_initial"),
        ("newsletters", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
