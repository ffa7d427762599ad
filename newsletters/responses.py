"""Who answers an action for an authority, and the writes that span an action and its responses.

An authority's DCS, DCS PA or lead answers for their own authority only; editors answer for any
authority on its behalf. Everyone else answers for none, whatever a URL or a form says.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from contacts.models import Organisation
from seslip.lib import roles

from .models import OUTSTANDING, Action, ActionResponse, ResponseStatus

ALL_AUTHORITIES = 19


def answering_authority(user: Any) -> Organisation | None:
    """The local authority `user` answers for as its DCS, DCS PA or lead, or None."""
    membership = roles.membership_of(user)
    if membership is None or not membership.answers_for_authority:
        return None
    return membership.organisation


def sees_notes_of(user: Any, response: ActionResponse) -> bool:
    """Notes, links and who answered: editors see every authority's, members their own's."""
    if roles.is_editor(user):
        return True
    authority = answering_authority(user)
    return authority is not None and authority.pk == response.authority_id


def owed_by(authority: Organisation, *, dcs: bool) -> Any:
    """What `authority` owes, as its members see it (“DCSs only” actions to DCSs): the one list
    that “My authority” and the dashboard filtered by the authority both show."""
    return ActionResponse.objects.of(authority).readable(dcs=dcs).owed()


def check_may_answer(user: Any, response: ActionResponse) -> None:
    """Raise PermissionDenied, saying why, unless `user` may answer `response`."""
    if roles.is_editor(user):
        return
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to answer for your authority.")
    authority = answering_authority(user)
    if authority is None:
        raise PermissionDenied(
            "Only the DCS, the DCS PA or a lead of an authority answers its actions, and your "
            "account is not one of these. Ask the programme team if it should be."
        )
    if authority.pk != response.authority_id:
        raise PermissionDenied(
            f"You answer for {authority} only: this is {response.authority}’s response, "
            "so nothing was changed."
        )


def plan_addressing(
    action: Action, to: str, authorities: Iterable[Organisation] | None = None
) -> tuple[set[int], list[ActionResponse]]:
    """The authorities `action` will be addressed to (ids), and the responses that go: raises
    ValidationError, saying why, when the choice is not possible (nothing is changed then)."""
    if to not in Action.Addressees.values:
        raise ValidationError(f"“{to}” is not a choice of whom an action is addressed to.")
    existing = {r.authority_id: r for r in action.responses.select_related("authority")}
    if to == Action.Addressees.ALL:
        wanted = set(Organisation.objects.local_authorities().values_list("pk", flat=True))
    elif to == Action.Addressees.CHOSEN:
        if authorities is None:
            wanted = set(existing)
        else:
            chosen = list(authorities)
            if any(not a.is_local_authority for a in chosen):
                raise ValidationError("Actions are addressed to local authorities only.")
            wanted = {a.pk for a in chosen}
        if not wanted:
            raise ValidationError(
                "Choose the local authorities the action is addressed to (on the action's own "
                "page), or address it to all 19 or to no one."
            )
    else:
        wanted = set()
    leaving = [r for pk, r in existing.items() if pk not in wanted]
    answered = sorted(str(r.authority) for r in leaving if r.status != ResponseStatus.NOT_STARTED)
    if answered:
        raise ValidationError(
            f"{', '.join(answered)} already answered this action, so "
            f"{'it stays' if len(answered) == 1 else 'they stay'} addressed: nothing was changed."
        )
    return wanted, leaving


@transaction.atomic
def address_action(
    *,
    action: Action,
    to: str,
    by: AbstractBaseUser,
    authorities: Iterable[Organisation] | None = None,
) -> Action:
    """Address `action` to all 19 local authorities, to the chosen `authorities`, or to no one
    (information only). Each addressed authority gets one response (not started) if it has
    none; one no longer addressed loses its response, unless it has already answered: then
    nothing changes and ValidationError says which. `authorities` None keeps the chosen set."""
    wanted, leaving = plan_addressing(action, to, authorities)
    for response in leaving:
        response._history_user = by  # type: ignore[attr-defined]
        response.delete()
    have = set(action.responses.values_list("authority_id", flat=True))
    new = [ActionResponse(action=action, authority_id=pk) for pk in sorted(wanted - have)]
    bulk_create_with_history(new, ActionResponse, default_user=by)
    if action.addressed_to != to:
        action.addressed_to = to
        action._history_user = by  # type: ignore[attr-defined]
        action.save(update_fields=["addressed_to"])
    return action


def progress_line(done: list[str], addressed: int) -> str:
    """“Done so far: Portsmouth, Kent (2 of 19)”, as the update prints it."""
    if not done:
        return f"Done so far: none yet (0 of {addressed})"
    return f"Done so far: {', '.join(done)} ({len(done)} of {addressed})"


def progress_lines(item_ids: Iterable[int]) -> dict[int, str]:
    """{item id: its progress lines}, one line per open addressed action that some authority
    still owes, from the responses (those done in the order they answered). One query."""
    rows = (
        ActionResponse.objects.filter(action__item__in=list(item_ids), action__closed=False)
        .order_by("action__item_id", "action__position", "action_id", "answered_at", "pk")
        .values_list("action__item_id", "action_id", "status", "authority__name")
    )
    actions: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for item_id, action_id, status, name in rows:
        actions.setdefault((item_id, action_id), []).append((status, name))
    lines: dict[int, list[str]] = {}
    for (item_id, _), answers in actions.items():
        if any(status in OUTSTANDING for status, _ in answers):
            done = [name for status, name in answers if status == ResponseStatus.DONE]
            lines.setdefault(item_id, []).append(progress_line(done, len(answers)))
    return {item_id: "\n".join(text) for item_id, text in lines.items()}
