"""Profile pages: colleagues, customer contacts, team composition, own data export."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from accounts.models import KeyAccount
from profiles import selectors, services
from profiles.access import (
    Level,
    can_edit_colleague,
    colleague_level,
)
from profiles.forms import ColleagueProfileForm, ContactProfileForm, MotiveScoresForm
from profiles.models import Motive, MotiveScore, Profile, User


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
    level = colleague_level(request.user, person)
    if level == Level.NONE:
        raise Http404
    profile = _profile_of(person)
    rows = selectors.chart_rows(profile, selectors.motives())
    visible_accounts = KeyAccount.objects.visible_to(request.user)
    memberships = (
        person.team_memberships.active()
        .filter(account__in=visible_accounts)
        .select_related("account", "role")
        .order_by("account__name")
    )
    context = {
        "person": person,
        "profile": profile,
        "level": level,
        "full": level == Level.FULL,
        "is_self": person.pk == request.user.pk,
        "can_edit": can_edit_colleague(request.user, person),
        "rows": rows,
        "summary": selectors.motive_summary(rows),
        "hints": selectors.hints_for(profile),
        "memberships": memberships,
        "changes": services.profile_changes(profile, limit=20)
        if profile and level == Level.FULL
        else [],
    }
    return render(request, "profiles/person_detail.html", context)


def person_edit(request: HttpRequest, username: str) -> HttpResponse:
    person = _person(username)
    if not can_edit_colleague(request.user, person):
        if colleague_level(request.user, person) == Level.NONE:
            raise Http404
        raise PermissionDenied(
            _("Only the person and the leads of their accounts can edit this profile.")
        )
    is_self = person.pk == request.user.pk
    profile = _profile_of(person) or Profile(user=person)
    return _edit_profile(
        request,
        profile=profile,
        form=ColleagueProfileForm(request.POST or None, instance=profile, is_self=is_self),
        title=_("Profile of %(name)s") % {"name": person.display_name},
        done_url=reverse("profiles:person", args=[person.username]),
        extra={"person": person, "is_self": is_self},
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
        if valid:
            with transaction.atomic():
                services.profile_save(profile=form.save(commit=False), scores=motives_form.scores)
            messages.success(request, _("Profile saved."))
            return redirect(done_url)
    context = {
        "form": form,
        "motives_form": motives_form,
        "title": title,
        "cancel_url": done_url,
        **extra,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


@require_safe
def my_profile(request: HttpRequest) -> HttpResponse:
    return redirect("profiles:person", request.user.username)


@require_safe
def my_export(request: HttpRequest) -> HttpResponse:
    data = services.personal_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="kamteam-{request.user.username}.json"'
    return response


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
