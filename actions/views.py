"""Actions under a plan's objectives, global or national: add, edit, mark done, delete.

Every page works as an ordinary form; the plan pages list the actions
under each objective (templates/actions/_objective_actions.html). Who may
change which: actions.access.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.access import AccountAccess, account_access
from accounts.models import NationalObjective, PlanObjective
from actions import services
from actions.access import require_edit, require_set_status
from actions.forms import PlanActionDoneForm, PlanActionForm
from actions.models import PlanAction
from core.pages import confirm_action_page, save_form_page


def _action(access: AccountAccess, pk: int) -> PlanAction:
    """One action of the account, through the account: another account's id is a 404.

    Its plan (global or national) is given the page's account: no query for the links.
    """
    action = get_object_or_404(
        PlanAction.objects.filter(account=access.account).select_related(
            "objective__plan", "national_objective__national_plan__plan"
        ),
        pk=pk,
    )
    if action.national_objective_id is not None:
        action.national_objective.national_plan.plan.account = access.account
    else:
        action.objective.plan.account = access.account
    return action


def _local_next(request: HttpRequest) -> str | None:
    """?next= when it is a path on this site (the home page's link), else None."""
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return next_url


def _create_page(
    request: HttpRequest, access: AccountAccess, objective: PlanObjective | NationalObjective
) -> HttpResponse:
    form = PlanActionForm(request.POST or None, objective=objective, account=access.account)
    require_edit(access, form.instance)
    return save_form_page(
        request,
        access,
        form,
        saved=_("Action saved."),
        next_url=lambda action: action.get_absolute_url(),
        title=_("Add action to “%(objective)s”") % {"objective": objective},
        cancel_url=form.instance.get_absolute_url(),
        tab="plan",
    )


def action_create(request: HttpRequest, slug: str, objective_id: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    objective = get_object_or_404(
        PlanObjective.objects.filter(plan__account=access.account).select_related("plan"),
        pk=objective_id,
    )
    objective.plan.account = access.account
    return _create_page(request, access, objective)


def national_action_create(request: HttpRequest, slug: str, objective_id: int) -> HttpResponse:
    """An action under a national objective: its country's NKAM and the global leads."""
    access = account_access(request.user, slug, write=True)
    objective = get_object_or_404(
        NationalObjective.objects.filter(national_plan__account=access.account).select_related(
            "national_plan__plan"
        ),
        pk=objective_id,
    )
    objective.national_plan.plan.account = access.account
    return _create_page(request, access, objective)


def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    action = _action(access, pk)
    require_edit(access, action)
    form = PlanActionForm(
        request.POST or None, instance=action, objective=action.goal, account=access.account
    )
    return save_form_page(
        request,
        access,
        form,
        saved=_("Action saved."),
        next_url=lambda saved: saved.get_absolute_url(),
        title=_("Edit action"),
        cancel_url=action.get_absolute_url(),
        tab="plan",
    )


def action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    action = _action(access, pk)
    require_edit(access, action)
    back = action.get_absolute_url()
    return confirm_action_page(
        request,
        access,
        action=action.delete,
        done=_("Action deleted. The history keeps a record of it."),
        next_url=back,
        title=_("Delete “%(title)s”?") % {"title": action.title},
        message=_(
            "The action leaves the plan; the history keeps a record of it. To keep it "
            "visible, mark it done instead."
        ),
        submit=_("Delete"),
        cancel_url=back,
        tab="plan",
    )


def action_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The owner (or a lead) marks an action done, or open again (actions.access)."""
    access = account_access(request.user, slug)
    action = _action(access, pk)
    require_set_status(access, action)
    form = PlanActionDoneForm(request.POST or None, instance=action)
    reopen = action.is_done
    return save_form_page(
        request,
        access,
        form,
        save=lambda: services.action_set_done(
            action=action, done=not reopen, expected_version=form.expected_version
        ),
        saved=(_("“%(title)s” is open again.") if reopen else _("“%(title)s” is done."))
        % {"title": action.title},
        next_url=lambda saved: _local_next(request) or saved.get_absolute_url(),
        title=(_("Open again: %(title)s") if reopen else _("Mark done: %(title)s"))
        % {"title": action.title},
        cancel_url=_local_next(request) or action.get_absolute_url(),
        tab="plan",
        submit=_("Open again") if reopen else _("Mark done"),
    )
