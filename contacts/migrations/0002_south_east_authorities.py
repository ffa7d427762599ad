"""The 19 South East local authorities, the programme and its usual partners, with the short forms
the newsletter uses for them."""

from django.db import migrations
from django.utils.text import slugify

AUTHORITIES = [
    ("Bracknell Forest", "BF, Bracknell, Bracknell Forest Council"),
    ("Brighton and Hove", "B&H, BHCC, Brighton & Hove, Brighton, Brighton and Hove City Council"),
    ("Buckinghamshire", "Bucks, Buckinghamshire Council"),
    ("East Sussex", "ESCC, East Sussex County Council"),
    ("Hampshire", "Hants, HCC, Hampshire County Council"),
    ("Isle of Wight", "IoW, IOW, Isle of Wight Council"),
    ("Kent", "KCC, Kent County Council"),
    ("Medway", "Medway Council"),
    ("Milton Keynes", "MK, MKC, Milton Keynes Council, Milton Keynes City Council"),
    ("Oxfordshire", "Oxon, OCC, Oxfordshire County Council"),
    ("Portsmouth", "Portsmouth City Council"),
    ("Reading", "Brighter Futures for Children, Reading Borough Council"),
    ("Slough", "Slough Children First, Slough Borough Council"),
    ("Southampton", "Southampton City Council"),
    ("Surrey", "SCC, Surrey County Council"),
    ("West Berkshire", "W Berks, West Berks, West Berkshire Council"),
    ("West Sussex", "WSCC, West Sussex County Council"),
    (
        "Windsor and Maidenhead",
        "RBWM, W&M, Windsor & Maidenhead, Royal Borough of Windsor and Maidenhead, Achieving for Children",
    ),
    ("Wokingham", "Wokingham Borough Council"),
]

OTHERS = [
    ("South East Sector-Led Improvement Programme", "programme", "SESLIP, SESLI Programme"),
    ("LGA", "partner", "Local Government Association"),
    ("NHS England (South East)", "partner", "NHS England South East, NHSE (SE)"),
    ("The Staff College", "partner", "Staff College"),
    ("DfE", "partner", "Department for Education"),
    ("Ofsted", "partner", ""),
    ("ADCS", "partner", "Association of Directors of Children's Services"),
]


def load(apps, schema_editor):
    Organisation = apps.get_model("contacts", "Organisation")
    for name, short_forms in AUTHORITIES:
        Organisation.objects.update_or_create(
            name=name, defaults={"slug": slugify(name), "kind": "la", "short_forms": short_forms}
        )
    for name, kind, short_forms in OTHERS:
        Organisation.objects.update_or_create(
            name=name, defaults={"slug": slugify(name), "kind": kind, "short_forms": short_forms}
        )


def unload(apps, schema_editor):
    Organisation = apps.get_model("contacts", "Organisation")
    names = [name for name, _ in AUTHORITIES] + [name for name, _, _ in OTHERS]
    Organisation.objects.filter(name__in=names, contacts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
