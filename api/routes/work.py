"""An account's plans (targets and actuals) and RACI matrix: read, as the pages show
them to everyone who may open the account; the leads give and take RACI letters.

A letter is given (PUT) or taken (DELETE) rather than toggled as in the grid, so
that a sync sending the same state twice changes nothing. The grid's rules
hold (raci.services): a role somebody on the team holds, exactly one A a task.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from accounts.access import account_access
from accounts.models import KeyAccount, KeyAccountPlan, TeamRole
from api import schemas
from api.routes.common import WRITE_ANSWERS, RowId, refused
from api.service import Pages
from raci import selectors, services
from raci.models import Letter, RaciAssignment, RaciTask

router = Router(tags=["Plans and RACI"])


@router.get("/{slug}/plans/", response=list[schemas.Plan], url_name="plans")
@paginate(Pages)
def list_plans(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The account's plans, the newest first, with revenue targets and actuals per year."""
    account = account_access(request.user, slug).account
    return (
        KeyAccountPlan.objects.filter(account=account)
        .select_related("account")
        .prefetch_related("revenue_targets", "account__revenue_actuals")
        .order_by("-start_year", "-pk")
    )


@router.get("/{slug}/raci/", response=list[schemas.RaciTask], url_name="raci")
@paginate(Pages)
def list_raci(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The account's RACI tasks in their order, each with its letters by team role."""
    return _tasks(account_access(request.user, slug).account)


def _tasks(account: KeyAccount):  # type: ignore[no-untyped-def]
    """The account's tasks in their order, with their letters by team role."""
    letters = RaciAssignment.objects.select_related("role").order_by("role__order", "letter")
    return account.raci_tasks.prefetch_related(Prefetch("assignments", letters)).order_by(
        "order", "pk"
    )


def _task(account: KeyAccount, task_id: int) -> RaciTask:
    return get_object_or_404(_tasks(account), pk=task_id)


def _letter_change(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, task_id: int, code: str, letter: str, *, give: bool
):
    account = account_access(request.user, slug, write=True).account
    # A NUL never reaches PostgreSQL, which cannot compare it.
    role = TeamRole.objects.filter(code=code).first() if "\x00" not in code else None
    if role is None:
        return refused(422, "role", _("That team role does not exist."))
    if letter not in Letter.values:
        return refused(
            422,
            "letter",
            _("“%(letter)s” is not a RACI letter: use R, A, S, C or I.") % {"letter": letter[:5]},
        )
    if give and role.pk not in selectors.account_role_ids(account):
        return refused(
            422,
            "role",
            _(
                "Nobody on this account's team holds the role %(role)s. Add a team member "
                "with that role first."
            )
            % {"role": role.name},
        )
    with transaction.atomic():
        # One change of a task's letters at a time: the state is read, then changed.
        task = get_object_or_404(account.raci_tasks.select_for_update(), pk=task_id)
        held = task.assignments.filter(role=role, letter=letter).exists()
        if held != give:
            try:
                services.assignment_toggle(task=task, role=role, letter=letter, actor=request.user)
            except services.RaciError as error:
                return refused(409, "letter", str(error))
    return Status(200, _task(account, task.pk))


@router.put(
    "/{slug}/raci/{task_id}/letters/",
    response={200: schemas.RaciTask, **WRITE_ANSWERS},
    url_name="raci_letter_give",
)
def give_letter(request: HttpRequest, slug: str, data: schemas.LetterIn, task_id: int = RowId):  # type: ignore[no-untyped-def]
    """Give a team role a letter on a task (the account's leads); its holders are told.
    Giving a letter the role holds already changes nothing."""
    return _letter_change(request, slug, task_id, data.role, data.letter, give=True)


@router.delete(
    "/{slug}/raci/{task_id}/letters/{role}/{letter}/",
    response={200: schemas.RaciTask, **WRITE_ANSWERS},
    url_name="raci_letter_take",
)
def take_letter(request: HttpRequest, slug: str, role: str, letter: str, task_id: int = RowId):  # type: ignore[no-untyped-def]
    """Take a letter from a team role (the account's leads); taking one it does not hold
    changes nothing."""
    return _letter_change(request, slug, task_id, role, letter, give=False)
