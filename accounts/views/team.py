"""Changing an account team: adding, editing, removing and bringing back members."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.access import account_access
from accounts.forms import TeamMemberForm
from core.pages import confirm_action_page, save_form_page


def member_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a team member, or edit the active one `pk`."""
    access = account_access(request.user, slug, write=True)
    team_url = reverse("accounts:team", args=[slug])
    instance = get_object_or_404(access.account.team_members.active(), pk=pk) if pk else None
    form = TeamMemberForm(
        request.POST or None, instance=instance, account=access.account, actor=access
    )
    return save_form_page(
        request,
        access,
        form,
        # Validation has already applied the new values to the instance.
        save=lambda: services.member_save(
            member=form.instance, expected_version=form.expected_version, actor=request.user
        ),
        saved=lambda member: _("%(name)s saved.") % {"name": member.user},
        next_url=team_url,
        title=_("Edit team member") if instance else _("Add team member"),
        cancel_url=team_url,
        tab="team",
        # 3,257 colleagues and 250 countries: the fresh form is worth keeping.
        cache_fresh=True,
    )


member_add = member_edit = member_form  # the two addresses of one form


def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    member = get_object_or_404(
        access.account.team_members.active().select_related("user", "role"), pk=pk
    )
    team_url = reverse("accounts:team", args=[slug])
    leaving = member.user_id == request.user.pk
    return confirm_action_page(
        request,
        access,
        action=lambda: services.member_remove(member=member, actor=request.user),
        done=(
            _("You left the team of %(account)s.") % {"account": access.account}
            if leaving
            else _(
                "%(name)s was removed from the team. They are listed under former members and "
                "can be brought back."
            )
            % {"name": member.user}
        ),
        next_url=reverse("home") if leaving else team_url,
        title=_("Remove %(name)s from the team?") % {"name": member.user},
        message=(
            _("You will leave the team and lose access to this account (%(role)s).")
            % {"role": member.role_label}
            if leaving
            else _(
                "%(name)s (%(role)s) will no longer see this account. The record stays in "
                "the team's history."
            )
            % {"name": member.user, "role": member.role_label}
        ),
        submit=_("Remove from team"),
        cancel_url=team_url,
        tab="team",
        blockers=services.member_removal_blockers(member),
    )


@require_POST
def member_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    member = get_object_or_404(access.account.team_members.filter(archived_at__isnull=False), pk=pk)
    clash = access.account.team_members.active().filter(
        user=member.user, role=member.role, country=member.country
    )
    taken = clash.exists()
    if not taken:
        try:
            services.member_restore(member=member, actor=request.user)
        except IntegrityError:  # the same seat filled at the same moment
            taken = True
    if taken:
        messages.error(
            request, _("%(name)s already holds this role on the team.") % {"name": member.user}
        )
    else:
        messages.success(request, _("%(name)s is back on the team.") % {"name": member.user})
    return redirect("accounts:team", slug)
