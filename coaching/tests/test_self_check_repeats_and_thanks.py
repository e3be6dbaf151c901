"""An unchanged self-check stores nothing; a lead does not thank themself (issue 13, point 16)."""

from __future__ import annotations

import datetime
import html
import re
from unittest import mock

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.snapshot import database_snapshot

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _fixed_clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _check_url(world: World) -> str:
    return reverse("coaching:check_create", args=[world.account.slug])


def _thanks_url(world: World) -> str:
    return reverse("coaching:thanks_create", args=[world.account.slug])


def _questions() -> list[CoachingQuestion]:
    return list(CoachingQuestion.objects.filter(is_active=True))


def _post(world: World, answered_on: str, **by_index: str):
    data = {"answered_on": answered_on, **{f"q{q.pk}": "" for q in _questions()}}
    for key, text in by_index.items():
        data[f"q{_questions()[int(key[1:])].pk}"] = text
    return world.client_for("lead").post(_check_url(world), data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Point 16: an unchanged self-check ------------------------------------------------


def test_saving_the_form_unchanged_stores_nothing_and_says_so(world: World) -> None:
    _post(world, "2026-10-20", q0="At Christmas", q1="I decide")
    before = database_snapshot()
    # The form as it opens: the previous answers filled in, dated today.
    response = _post(world, "2026-11-25", q0="At Christmas", q1="I decide")
    assert response.redirect_chain[-1][0] == reverse("coaching:page", args=[world.account.slug])
    assert any("no new self-check was stored" in m for m in _messages(response))
    assert database_snapshot() == before
    assert CoachingCheck.objects.count() == 1


def test_leaving_a_repeated_answer_blank_changes_nothing_either(world: World) -> None:
    """A blank answer is not stored, so the latest one stays: still nothing new."""
    _post(world, "2026-10-20", q0="At Christmas", q1="I decide")
    _post(world, "2026-11-25", q0="At Christmas")
    assert CoachingCheck.objects.count() == 1


@pytest.mark.parametrize(
    "answers",
    [
        {"q0": "After the Suzhou quote", "q1": "I decide"},  # one answer changed
        {"q0": "At Christmas", "q1": "I decide", "q2": "Their goals"},  # a new answer
    ],
)
def test_a_changed_or_new_answer_is_a_new_self_check(world: World, answers: dict) -> None:
    _post(world, "2026-10-20", q0="At Christmas", q1="I decide")
    response = _post(world, "2026-11-25", **answers)
    assert any("self-check is saved" in m for m in _messages(response))
    assert CoachingCheck.objects.count() == 2
    latest = CoachingCheck.objects.get(answered_on=TODAY)
    assert latest.answers.count() == len(answers)


def test_the_first_self_check_is_always_stored(world: World) -> None:
    _post(world, "2026-11-25", q0="At Christmas")
    assert CoachingAnswer.objects.get().answer == "At Christmas"


def test_the_service_refuses_a_copy_too(world: World) -> None:
    first = _questions()[0]
    kwargs = {"account": world.account, "by": world.lead, "answers": {first: "Same"}}
    assert services.coaching_check_create(answered_on=TODAY, **kwargs) is not None
    assert services.coaching_check_create(answered_on=TODAY, **kwargs) is None
    assert CoachingCheck.objects.count() == 1


# Point 16: the thank-you form offers the others, never the lead themself -----------


def test_thanks_form_does_not_offer_the_lead_themself(world: World) -> None:
    co_lead = TeamMemberFactory(
        account=world.account,
        role=role("nkam"),
        country="FR",
        is_lead=True,
        user=UserFactory(first_name="Carla", last_name="Colead"),
    )
    response = world.client_for("lead").get(_thanks_url(world))
    assert response.status_code == 200
    options = re.findall(r'<option value="(\d+)"', response.content.decode())
    assert str(world.lead_membership.pk) not in options
    assert {str(world.membership.pk), str(co_lead.pk)} <= set(options)
    select = re.search(r'<select name="member".*?</select>', response.text, re.S)
    assert select is not None and "Lena Lead" not in html.unescape(select.group(0))


def test_a_lead_in_two_roles_is_offered_in_neither(world: World) -> None:
    second_role = TeamMemberFactory(account=world.account, user=world.lead, role=role("nkam"))
    options = re.findall(
        r'<option value="(\d+)"', world.client_for("lead").get(_thanks_url(world)).text
    )
    assert str(world.lead_membership.pk) not in options and str(second_role.pk) not in options


def test_thanking_oneself_is_refused_and_nothing_written(world: World) -> None:
    before = database_snapshot()
    data = {"member": world.lead_membership.pk, "thanked_on": "2026-11-24", "note": "Me"}
    response = world.client_for("lead").post(_thanks_url(world), data)
    assert response.status_code == 400
    assert "member" in response.context["form"].errors
    assert database_snapshot() == before
    assert not Appreciation.objects.exists()


def test_oneself_in_the_query_is_not_preselected(world: World) -> None:
    url = f"{_thanks_url(world)}?member={world.lead_membership.pk}"
    response = world.client_for("lead").get(url)
    assert response.status_code == 200
    select = re.search(r'<select name="member".*?</select>', response.text, re.S)
    assert select is not None and " selected>" not in select.group(0)
