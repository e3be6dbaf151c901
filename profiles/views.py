"""Profile pages: colleagues, customer contacts, team composition, own data export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from accounts.models import KeyAccount
from core.collation import by_name
from core.concurrency import is_conflict, save_or_form_error
from profiles import selectors, services, sharing
from profiles.access import can_edit_colleague, colleague_parts
from profiles.forms import (
    ColleagueProfileForm,
    ContactProfileForm,
    MotiveScoresForm,
    ProfileSharingForm,
)
from profiles.models import Motive, MotiveScore, Profile, ProfilePart
from users.models import User


def _person(username: str) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), username=username)


def _profile_of(person: User) -> Profile | None:
    return (
        Profile.objects.filter(user=person)
        .prefetch_related(Prefetch("scores", queryset=MotiveScore.objects.select_related("motive")))
        .first()
    )


@require_safe
def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = _person(username)
    parts = colleague_parts(request.user, person)
    if not parts:
        raise Http404
    is_self = person.pk == request.user.pk
    profile = _profile_of(person)
    rows = selectors.chart_rows(profile, selectors.motives())
    visible_accounts = KeyAccount.objects.visible_to(request.user)
    memberships = (
        person.team_memberships.active()
        .filter(account__in=visible_accounts)
        .select_related("account", "role")
        .order_by(*by_name("account__name"))
    )
    context = {
        "person": person,
        "profile": profile,
        "is_self": is_self,
        "sees_colours": ProfilePart.COLOURS in parts,
        "sees_motives": ProfilePart.MOTIVES in parts,
        "sees_goals": ProfilePart.GOALS in parts,
        "sees_notes": ProfilePart.NOTES in parts,
        "can_edit": can_edit_colleague(request.user, person),
        "rows": rows,
        "summary": selectors.motive_summary(rows),
        "hints": selectors.hints_for(profile) if ProfilePart.COLOURS in parts else [],
        "memberships": memberships,
        # When a profile changed says something too: the person's and staff's to see.
        "changes": services.profile_changes(profile, limit=20)
        if profile and (is_self or request.user.is_staff)
        else [],
    }
    return render(request, "profiles/person_detail.html", context)


def person_edit(request: HttpRequest, username: str) -> HttpResponse:
    person = _person(username)
    if not can_edit_colleague(request.user, person):
        if not colleague_parts(request.user, person):
            raise Http404
        raise PermissionDenied(_("Only the person themself can edit their profile."))
    profile = _profile_of(person) or Profile(user=person)
    return _edit_profile(
        request,
        profile=profile,
        form=ColleagueProfileForm(request.POST or None, instance=profile),
        title=_("My profile"),
        done_url=reverse("profiles:person", args=[person.username]),
        extra={"person": person, "is_self": True},
        template="profiles/person_form.html",
    )


def _edit_profile(
    request: HttpRequest,
    *,
    profile: Profile,
    form: ColleagueProfileForm | ContactProfileForm,
    title: str,
    done_url: str,
    extra: dict[str, object],
    template: str,
) -> HttpResponse:
    all_motives = list(Motive.objects.all())
    initial = {s.motive_id: s.score for s in profile.scores.all()} if profile.pk else {}
    motives_form = MotiveScoresForm(
        request.POST or None, motives=all_motives, initial_scores=initial
    )
    if request.method == "POST":
        valid = form.is_valid()
        valid = motives_form.is_valid() and valid
        saved = valid and save_or_form_error(
            form,
            lambda: services.profile_save(
                profile=form.save(commit=False),
                scores=motives_form.scores,
                expected_version=form.expected_version,
                # Untouched (line breaks normalised, core.forms): nothing to write.
                changed=form.has_changed(),
            ),
        )
        if saved:
            messages.success(request, _("Profile saved."))
            return redirect(done_url)
    context = {
        "form": form,
        "motives_form": motives_form,
        "title": title,
        "cancel_url": done_url,
        **extra,
    }
    status = 409 if is_conflict(form) else 400 if form.is_bound else 200
    return render(request, template, context, status=status)


@require_safe
def my_profile(request: HttpRequest) -> HttpResponse:
    return redirect("profiles:person", request.user.username)


def my_sharing(request: HttpRequest) -> HttpResponse:
    """Who sees which part of my profile: the person's own decision, and nobody else's."""
    person = request.user
    form = ProfileSharingForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        sharing.profile_sharing_save(
            profile=services.profile_for_user(person),
            share_colours=form.cleaned_data["share_colours"],
            grants=form.grants,
        )
        messages.success(request, _("Your sharing choices are saved."))
        return redirect("my_sharing")
    context = {
        "form": form,
        "person": person,
        "audiences": sharing.profile_audiences(person),
        "teams": sharing.my_team_history(person),
    }
    return render(
        request, "profiles/my_sharing.html", context, status=400 if form.is_bound else 200
    )


def contact_profile_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.active(), pk=pk)
    profile = Profile.objects.filter(contact=contact).first() or Profile(contact=contact)
    return _edit_profile(
        request,
        profile=profile,
        form=ContactProfileForm(request.POST or None, instance=profile),
        title=_("Profile of %(name)s") % {"name": contact},
        done_url=contact.get_absolute_url(),
        extra={"access": access, "account": access.account, "tab": "contacts", "contact": contact},
        template="profiles/contact_profile_form.html",
    )


@require_safe
def team_composition(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    context = {
        "access": access,
        "account": access.account,
        "tab": "team",
        **selectors.team_composition(access.account, request.user),
    }
    return render(request, "profiles/team_composition.html", context)
