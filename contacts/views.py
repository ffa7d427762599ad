from django.shortcuts import render

from seslip.lib.pagecache import public_page

from .models import Contact, Organisation


@public_page
def contact_list(request):
    contacts = list(Contact.objects.select_related("organisation").order_by("name"))
    in_programme = [
        c for c in contacts if c.organisation and c.organisation.kind == Organisation.Kind.PROGRAMME
    ]
    programme = sorted(in_programme, key=lambda c: (c.role == "", c.role.lower(), c.name))
    others = sorted(
        (c for c in contacts if c not in in_programme),
        key=lambda c: (
            c.organisation is None,
            c.organisation.name if c.organisation else "",
            c.name,
        ),
    )
    return render(
        request,
        "contacts/contact_list.html",
        {"programme": programme, "others": others, "section": "contacts"},
    )
