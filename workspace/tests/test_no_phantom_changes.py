"""Saving an untouched form records nothing: plan, colleague profile, contact profile.

Each form is loaded as a browser loads it and sent back as a browser sends
it: every value as shown, a textarea's line breaks as "\\r\\n".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse

from accounts.models import PlanRevenueTarget
from profiles.models import Motive, MotiveScore, Profile
from tests.fixtures import World


def _as_a_browser_sends(form: forms.BaseForm) -> dict[str, Any]:
    """The form's values as a browser submits them untouched."""
    data: dict[str, Any] = {}
    for bf in form:
        value, widget = bf.value(), bf.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bf.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bf.html_name] = [str(v) for v in value]
        elif value is None:
            data[bf.html_name] = ""
        elif isinstance(value, datetime.date):
            data[bf.html_name] = value.isoformat()
        elif isinstance(widget, forms.Textarea):
            data[bf.html_name] = str(value).replace("\n", "\r\n")
        else:
            data[bf.html_name] = str(value)
    return data


def _resend(client: Any, url: str, form_name: str = "form") -> Any:
    page = client.get(url)
    assert page.status_code == 200
    data = _as_a_browser_sends(page.context[form_name])
    if "motives_form" in page.context:
        data.update(_as_a_browser_sends(page.context["motives_form"]))
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context[form_name].errors
    return response


def test_an_untouched_plan_form_records_nothing(world: World) -> None:
    plan = world.plan
    plan.swot_strengths = "Long relationship\nGlobal presence"
    plan.account_profile = "Machinery\nThree plants"
    plan.save()
    PlanRevenueTarget.objects.create(plan=plan, year=2026, amount=Decimal("1500000"))
    before = (plan.history.count(), PlanRevenueTarget.history.count())

    _resend(
        world.client_for("lead"), reverse("accounts:plan_edit", args=[world.account.slug, plan.pk])
    )

    version = plan.version
    plan.refresh_from_db()
    assert plan.swot_strengths == "Long relationship\nGlobal presence"
    # The version stays, so a colleague's form opened before is still valid.
    assert plan.version == version
    assert (plan.history.count(), PlanRevenueTarget.history.count()) == before
    history = world.client_for("lead").get(reverse("accounts:history", args=[world.account.slug]))
    assert world.lead not in {e.who for e in history.context["page"].object_list}


def _colleague_profile(world: World) -> Profile:
    profile = Profile.objects.create(
        user=world.member, primary_colour="blue", goals="Win Suzhou\nKeep Berlin"
    )
    MotiveScore.objects.create(profile=profile, motive=Motive.objects.first(), score=Decimal("1.5"))
    return profile


def test_an_untouched_colleague_profile_saves_nothing(world: World) -> None:
    profile = _colleague_profile(world)
    before = (profile.history.count(), MotiveScore.history.count())
    url = reverse("profiles:person_edit", args=[world.member.username])

    _resend(world.client_for("member"), url)

    profile.refresh_from_db()
    assert profile.version == 1 and profile.goals == "Win Suzhou\nKeep Berlin"
    assert (profile.history.count(), MotiveScore.history.count()) == before
    page = world.client_for("member").get(reverse("profiles:person", args=[world.member.username]))
    assert len(page.context["changes"]) == 2  # created: the profile and its scores, once each


def test_an_untouched_contact_profile_saves_nothing(world: World) -> None:
    profile = Profile.objects.create(
        contact=world.contact,
        primary_colour="green",
        interests="Sailing\nJazz",
        legal_basis="legitimate_interest",
        legal_basis_note="Key decider\nfor the framework contract",
    )
    before = profile.history.count()
    url = reverse("accounts:contact_profile_edit", args=[world.account.slug, world.contact.pk])

    _resend(world.client_for("lead"), url)

    profile.refresh_from_db()
    assert profile.version == 1 and profile.history.count() == before


def test_a_changed_profile_names_its_changed_fields(world: World) -> None:
    profile = _colleague_profile(world)
    url = reverse("profiles:person_edit", args=[world.member.username])
    client = world.client_for("member")
    page = client.get(url)
    data = _as_a_browser_sends(page.context["form"])
    data.update(_as_a_browser_sends(page.context["motives_form"]))
    data["interests"] = "Chess"
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.version == 2
    page = client.get(reverse("profiles:person", args=[world.member.username]))
    latest = page.context["changes"][0]
    assert latest.kind == "profile" and latest.fields == ("interests",)
