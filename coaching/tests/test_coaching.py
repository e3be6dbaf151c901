"""Coaching: the lead's self-check with its history, and the appreciation log with its reminder."""

from __future__ import annotations

import datetime
import html
import importlib
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

TODAY = datetime.date(2026, 11, 25)
SEEDED = importlib.import_module("coaching.migrations.0002_seed_questions").QUESTIONS


@pytest.fixture(autouse=True)
def _fixed_clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _page(world: World) -> str:
    return reverse("coaching:page", args=[world.account.slug])


def _check_url(world: World) -> str:
    return reverse("coaching:check_create", args=[world.account.slug])


def _thanks_url(world: World) -> str:
    return reverse("coaching:thanks_create", args=[world.account.slug])


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _questions() -> list[CoachingQuestion]:
    return list(CoachingQuestion.objects.filter(is_active=True))


def _answers(**by_index: str) -> dict[str, str]:
    """Form data for the questions in catalogue order: _answers(q0="...", q3="...")."""
    data = {f"q{q.pk}": "" for q in _questions()}
    for key, text in by_index.items():
        data[f"q{_questions()[int(key[1:])].pk}"] = text
    return data


# The page and who sees it ------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("lead", 200), ("staff", 200), ("member", 403), ("manager", 403), ("outsider", 404)],
)
def test_only_leads_see_the_coaching_page(world: World, who: str, status: int) -> None:
    assert world.client_for(who).get(_page(world)).status_code == status


def test_anonymous_visitors_are_sent_to_the_login(world: World) -> None:
    response = Client().get(_page(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_handbook_questions_are_seeded_in_english_and_german(db: None) -> None:
    questions = _questions()
    assert len(questions) == 8
    assert [(q.topic_en, q.topic_de, q.text_en, q.text_de) for q in questions] == [
        tuple(row) for row in SEEDED
    ]
    assert questions[0].text_en == "When did you last thank your team members for their support?"


def test_page_shows_every_question_in_english(world: World) -> None:
    text = _text(world.client_for("lead").get(_page(world)))
    for _topic_en, _topic_de, question_en, question_de in SEEDED:
        assert question_en in text
        assert question_de not in text
    assert "No self-check yet." in text


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_page_shows_the_questions_in_german(world: World, how: str) -> None:
    client = world.client_for("lead")
    if how == "cookie":
        client.cookies["django_language"] = "de"
        response = client.get(_page(world))
    else:
        response = client.get(_page(world), HTTP_ACCEPT_LANGUAGE="de")
    text = _text(response)
    for _topic_en, _topic_de, question_en, question_de in SEEDED:
        assert question_de in text
        assert question_en not in text
    assert "Wertschätzung" in text


def test_inactive_questions_are_not_asked_but_keep_their_answers(world: World) -> None:
    first, second = _questions()[:2]
    check = CoachingCheck.objects.create(
        account=world.account, answered_by=world.lead, answered_on=TODAY
    )
    CoachingAnswer.objects.create(self_check=check, question=first, answer="Last Friday")
    CoachingQuestion.objects.filter(pk__in=[first.pk, second.pk]).update(is_active=False)
    lead = world.client_for("lead")
    page = _text(lead.get(_page(world)))
    assert first.text_en in page and "Last Friday" in page  # answered: still shown
    assert second.text_en not in page  # never answered, no longer asked
    form = lead.get(_check_url(world)).content.decode()
    assert f'name="q{first.pk}"' not in form and f'name="q{second.pk}"' not in form


# The self-check ------------------------------------------------------------------


def test_lead_records_a_self_check_with_only_the_answered_questions(world: World) -> None:
    data = {"answered_on": "2026-11-20", **_answers(q0="  After the Suzhou quote.  ", q4="Yes")}
    response = world.client_for("lead").post(_check_url(world), data)
    assert response.status_code == 302
    assert response["Location"] == _page(world)
    check = CoachingCheck.objects.get()
    assert (check.account, check.answered_by) == (world.account, world.lead)
    assert check.answered_on == datetime.date(2026, 11, 20)
    questions = _questions()
    assert {(a.question, a.answer) for a in check.answers.all()} == {
        (questions[0], "After the Suzhou quote."),
        (questions[4], "Yes"),
    }


def test_a_second_self_check_keeps_the_first(world: World) -> None:
    lead = world.client_for("lead")
    lead.post(_check_url(world), {"answered_on": "2026-03-12", **_answers(q0="At Christmas")})
    form = lead.get(_check_url(world))
    assert form.status_code == 200
    # the new self-check starts from the previous answers
    first = _questions()[0]
    assert re.search(rf'name="q{first.pk}"[^>]*>\s*At Christmas</textarea>', form.text)
    assert 'value="2026-11-25"' in form.text  # dated today unless changed
    lead.post(
        _check_url(world),
        {"answered_on": "2026-10-20", **_answers(q0="After the Suzhou quote", q1="Workshop")},
    )
    assert CoachingCheck.objects.count() == 2
    assert CoachingAnswer.objects.count() == 3
    text = _text(lead.get(_page(world)))
    assert "2 self-checks so far" in text
    latest, earlier = text.index("After the Suzhou quote"), text.index("At Christmas")
    assert latest < earlier
    assert "One earlier answer" in text[latest:earlier]
    # the form now starts from the latest answers
    form = lead.get(_check_url(world))
    assert re.search(rf'name="q{first.pk}"[^>]*>\s*After the Suzhou quote</textarea>', form.text)


def test_a_backdated_self_check_does_not_become_the_latest(world: World) -> None:
    lead = world.client_for("lead")
    lead.post(_check_url(world), {"answered_on": "2026-10-20", **_answers(q0="Newer answer")})
    lead.post(_check_url(world), {"answered_on": "2026-01-05", **_answers(q0="Older answer")})
    text = _text(lead.get(_page(world)))
    assert text.index("Newer answer") < text.index("Older answer")
    form = lead.get(_check_url(world)).text
    first = _questions()[0]
    assert re.search(rf'name="q{first.pk}"[^>]*>\s*Newer answer</textarea>', form)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"answered_on": "2026-11-26", "q0": "Tomorrow"},
            "A self-check cannot be dated in the future.",
        ),
        ({"answered_on": "2026-11-20"}, "Answer at least one question."),
        ({"answered_on": "2026-11-20", "q0": "   \n  "}, "Answer at least one question."),
        ({"answered_on": "", "q0": "No date"}, "This field is required."),
        ({"answered_on": "20.11.2026x", "q0": "Bad date"}, "Enter a valid date."),
        ({"answered_on": "2026-11-20", "q0": "Null\x00byte"}, "Null characters are not allowed."),
        ({"answered_on": "2026-11-20", "q0": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_invalid_self_checks_are_refused_and_nothing_written(
    world: World, data: dict[str, str], message: str
) -> None:
    answers = {k: v for k, v in data.items() if k.startswith("q")}
    post = {"answered_on": data["answered_on"], **_answers(**answers)}
    response = world.client_for("lead").post(_check_url(world), post)
    assert response.status_code == 400
    assert message in _text(response)
    assert not CoachingCheck.objects.exists()
    assert not CoachingAnswer.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("manager", 403), ("outsider", 404)])
def test_only_leads_record_self_checks(world: World, who: str, status: int) -> None:
    client = world.client_for(who)
    assert client.get(_check_url(world)).status_code == status
    response = client.post(_check_url(world), {"answered_on": "2026-11-20", **_answers(q0="x")})
    assert response.status_code == status
    assert not CoachingCheck.objects.exists()


def test_archived_account_takes_no_self_check(world: World) -> None:
    account_services.account_archive(account=world.account)
    lead = world.client_for("lead")
    response = lead.post(_check_url(world), {"answered_on": "2026-11-20", **_answers(q0="x")})
    assert response.status_code == 403
    assert not CoachingCheck.objects.exists()
    page = lead.get(_page(world))
    assert page.status_code == 200  # the lead still reads the earlier answers
    assert _check_url(world) not in page.text


def test_self_checks_of_one_account_stay_on_it(world: World) -> None:
    other = KeyAccountFactory()
    TeamMemberFactory(account=other, user=world.lead, role=role("gkam"))
    lead = world.client_for("lead")
    lead.post(_check_url(world), {"answered_on": "2026-11-20", **_answers(q0="Nordwind only")})
    other_page = _text(lead.get(reverse("coaching:page", args=[other.slug])))
    assert "Nordwind only" not in other_page
    assert "No self-check yet." in other_page


# Appreciation --------------------------------------------------------------------


def test_lead_records_a_thank_you(world: World) -> None:
    data = {"member": world.membership.pk, "thanked_on": "2026-11-24", "note": "Quick quote"}
    response = world.client_for("lead").post(_thanks_url(world), data)
    assert response.status_code == 302
    assert response["Location"] == _page(world)
    thanks = Appreciation.objects.get()
    assert (thanks.account, thanks.member, thanks.recorded_by) == (
        world.account,
        world.membership,
        world.lead,
    )
    assert (thanks.thanked_on, thanks.note) == (datetime.date(2026, 11, 24), "Quick quote")
    page = _text(world.client_for("lead").get(_page(world)))
    assert "Quick quote" in page
    assert "1 day ago" in page


def test_thanks_for_another_accounts_member_are_refused(world: World) -> None:
    stranger = TeamMemberFactory(account=KeyAccountFactory(), role=role("engineering"))
    data = {"member": stranger.pk, "thanked_on": "2026-11-24", "note": ""}
    response = world.client_for("lead").post(_thanks_url(world), data)
    assert response.status_code == 400
    assert "Select a valid choice" in _text(response)
    assert not Appreciation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"thanked_on": "2026-11-26"}, "Record a thank-you once it has happened."),
        ({"thanked_on": ""}, "This field is required."),
        ({"member": ""}, "This field is required."),
        ({"member": "abc"}, "Select a valid choice"),
        ({"note": "Null\x00byte"}, "Null characters are not allowed."),
        ({"note": "x" * 301}, "at most 300 characters"),
    ],
)
def test_invalid_thanks_are_refused(world: World, overrides: dict[str, str], message: str) -> None:
    data = {"member": world.membership.pk, "thanked_on": "2026-11-24", "note": "", **overrides}
    response = world.client_for("lead").post(_thanks_url(world), data)
    assert response.status_code == 400
    assert message in _text(response)
    assert not Appreciation.objects.exists()


def test_former_members_cannot_be_thanked(world: World) -> None:
    data = {"member": world.former_membership.pk, "thanked_on": "2026-11-24", "note": ""}
    assert world.client_for("lead").post(_thanks_url(world), data).status_code == 400
    assert not Appreciation.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("manager", 403), ("outsider", 404)])
def test_only_leads_record_thanks(world: World, who: str, status: int) -> None:
    data = {"member": world.lead_membership.pk, "thanked_on": "2026-11-24", "note": ""}
    assert world.client_for(who).post(_thanks_url(world), data).status_code == status
    assert not Appreciation.objects.exists()


def test_member_in_the_query_is_preselected(world: World) -> None:
    lead = world.client_for("lead")
    response = lead.get(f"{_thanks_url(world)}?member={world.membership.pk}")
    assert response.status_code == 200
    assert re.search(rf'<option value="{world.membership.pk}" selected>', response.text)
    for junk in ("abc", "-1", "99999999999", ""):
        assert lead.get(f"{_thanks_url(world)}?member={junk}").status_code == 200


def test_member_query_with_a_superscript_digit_is_ignored(world: World) -> None:
    response = world.client_for("lead").get(f"{_thanks_url(world)}?member=%C2%B2")
    assert response.status_code == 200


def _reminder(response) -> str | None:
    """The text of the workspace's thank-you reminder, or None without one."""
    match = re.search(r"Time to say thank you\?(.*?)</section>", _text(response), re.S)
    return match.group(1) if match else None


@pytest.fixture
def thanked(world: World) -> dict[str, object]:
    """Besides the never-thanked Max Member: one thanked recently, one long ago."""
    recent = TeamMemberFactory(
        account=world.account,
        role=role("engineering"),
        user=UserFactory(first_name="Tina", last_name="Recent"),
    )
    long_ago = TeamMemberFactory(
        account=world.account,
        role=role("management"),
        user=UserFactory(first_name="Otto", last_name="Longago"),
    )
    on_the_day = TeamMemberFactory(
        account=world.account,
        role=role("nkam"),
        country="FR",
        user=UserFactory(first_name="Nina", last_name="Ninety"),
    )
    for member, days in ((recent, 10), (long_ago, 100), (long_ago, 120), (on_the_day, 90)):
        Appreciation.objects.create(
            account=world.account,
            member=member,
            thanked_on=TODAY - datetime.timedelta(days=days),
            recorded_by=world.lead,
        )
    return {"recent": recent, "long_ago": long_ago, "on_the_day": on_the_day}


def test_workspace_reminds_the_lead_whom_to_thank(world: World, thanked) -> None:
    reminder = _reminder(world.client_for("lead").get(world.account.get_absolute_url()))
    assert reminder is not None
    assert "Max Member" in reminder  # never thanked
    assert "Otto Longago" in reminder  # last thanked 100 days ago
    assert "Tina Recent" not in reminder  # 10 days ago
    assert "Nina Ninety" not in reminder  # exactly 90 days: not yet
    assert "Lena Lead" not in reminder  # not themselves
    assert world.former_membership.user.display_name not in reminder


def test_no_reminder_once_everyone_was_thanked(world: World) -> None:
    Appreciation.objects.create(
        account=world.account,
        member=world.membership,
        thanked_on=TODAY - datetime.timedelta(days=3),
        recorded_by=world.lead,
    )
    response = world.client_for("lead").get(world.account.get_absolute_url())
    assert response.status_code == 200
    assert _reminder(response) is None


@pytest.mark.parametrize("who", ["member", "manager", "staff"])
def test_read_only_viewers_get_no_reminder(world: World, thanked, who: str) -> None:
    response = world.client_for(who).get(world.account.get_absolute_url())
    assert response.status_code == 200
    assert _reminder(response) is None


def test_coaching_page_lists_last_thanks_per_member(world: World, thanked) -> None:
    text = _text(world.client_for("lead").get(_page(world)))
    assert "10 days ago" in text
    assert "100 days ago" in text  # the latest of the two thanks
    assert "120 days ago" not in text
    assert "not yet" in text  # Max Member


# Query counts --------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    return page_queries(client, url)


def _checks(world: World, n: int, start: int) -> None:
    questions = _questions()
    for i in range(start, start + n):
        check = CoachingCheck.objects.create(
            account=world.account,
            answered_by=world.lead,
            answered_on=TODAY - datetime.timedelta(days=i),
        )
        CoachingAnswer.objects.bulk_create(
            CoachingAnswer(self_check=check, question=q, answer=f"Answer {i} to {q.pk}")
            for q in questions
        )


def _members(world: World, n: int) -> None:
    for _ in range(n):
        member = TeamMemberFactory(account=world.account, role=role("engineering"))
        Appreciation.objects.create(
            account=world.account, member=member, thanked_on=TODAY, recorded_by=world.lead
        )


def test_coaching_page_queries_do_not_grow_with_self_checks(world: World) -> None:
    client = world.client_for("lead")
    _checks(world, 1, 0)
    small = _count(client, _page(world))
    _checks(world, 19, 1)
    large = _count(client, _page(world))
    assert small == large, f"{small} queries with 1 self-check, {large} with 20"
    assert large == 12  # with the unread count of the top bar's bell (notifications)


def test_coaching_page_queries_do_not_grow_with_team_members(world: World) -> None:
    client = world.client_for("lead")
    _members(world, 1)
    small = _count(client, _page(world))
    _members(world, 19)
    large = _count(client, _page(world))
    assert small == large, f"{small} queries with 1 team member, {large} with 20"
    # no self-check yet: no answers to prefetch; with the bell's unread count (notifications)
    assert large == 11


def test_workspace_reminder_queries_do_not_grow_with_team_members(world: World) -> None:
    client = world.client_for("lead")
    url = world.account.get_absolute_url()
    _members(world, 1)
    small = _count(client, url)
    _members(world, 19)
    assert _count(client, url) == small
