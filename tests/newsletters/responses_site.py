"""Addressed actions with answers, shared by the response tests: an MoU addressed to all 19
(Kent and Medway have answered, with notes), and a DCS-only action addressed to Kent and Medway."""

from dataclasses import dataclass

from newsletters.models import Action, ActionResponse
from newsletters.responses import address_action
from seslip.lib.generations import write_batch
from tests.factories import authority, days, make_action, make_issue, make_item

KENT_NOTE = "Kent signed copy with the Chief Executive"
MEDWAY_NOTE = "Medway waiting for the Lead Member"


@dataclass
class ResponsesSite:
    mou: Action
    secret: Action
    kent: ActionResponse  # Kent's response to the MoU
    medway: ActionResponse
    kent_secret: ActionResponse
    medway_secret: ActionResponse


def responses_site(editor, *, number=515):
    with write_batch():  # one transaction, each derived value refreshed once at its end
        return _responses_site(editor, number=number)


def _responses_site(editor, *, number):
    issue = make_issue(number, date=days(-7))
    mou = make_action(
        make_item(issue, "Memorandum of understanding"), "Return the signed MoU", due_date=days(-2)
    )
    address_action(action=mou, to=Action.Addressees.ALL, by=editor)
    kent = mou.responses.get(authority__name="Kent")
    kent.answer(status="done", note=KENT_NOTE, link="https://kent.example/mou", by=editor)
    medway = mou.responses.get(authority__name="Medway")
    medway.answer(status="in_progress", note=MEDWAY_NOTE, by=editor)
    portsmouth = mou.responses.get(authority__name="Portsmouth")
    portsmouth.answer(status="done", by=editor)
    secret_item = make_item(issue, "DCS succession planning", dcs_only=True, position=1)
    secret = make_action(secret_item, "Name your deputy", due_date=days(20))
    address_action(
        action=secret,
        to=Action.Addressees.CHOSEN,
        authorities=[authority("Kent"), authority("Medway")],
        by=editor,
    )
    return ResponsesSite(
        mou=mou,
        secret=secret,
        kent=kent,
        medway=medway,
        kent_secret=secret.responses.get(authority__name="Kent"),
        medway_secret=secret.responses.get(authority__name="Medway"),
    )
