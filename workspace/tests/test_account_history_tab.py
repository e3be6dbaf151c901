"""The account's history tab: every kind of record, field by field, filtered and paged."""

from __future__ import annotations

import datetime
from collections import deque
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db.models import ForeignKey, Model, OneToOneField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import KeyAccount, PlanRevenueTarget, RevenueActual
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
from coaching.services import coaching_check_create
from opportunities.tests.factories import OpportunityFactory
from portfolio.models import PlanReview
from profiles.models import Motive, MotiveScore, Profile
from raci.models import RaciAssignment, RaciMatrix, RaciTask, RaciTemplateAssignment
from tests.factories import (
    ContactFactory,
    ObjectiveFactory,
    PotentialFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint
from users.models import User
from workspace.history import SOURCES
from workspace.history_entries import Change, HistoryEntry


def _url(world: World, query: str = "") -> str:
    return reverse("accounts:history", args=[world.account.slug]) + query


def _entries(world: World, query: str = "", who: str = "lead") -> list[HistoryEntry]:
    response = world.client_for(who).get(_url(world, query))
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def _changes(entries: list[HistoryEntry], what: str) -> set[tuple[str, str | None, str]]:
    return {(c.label, c.old, c.new) for e in entries if e.what == what for c in e.changes}


def _by(obj: Model, user: Any) -> Model:
    """Save `obj` as if `user` had saved it through a page."""
    obj._history_user = user  # type: ignore[attr-defined]
    obj.save()
    return obj


def test_raci_touchpoint_relationship_and_meeting_changes_show_field_by_field(
    world: World,
) -> None:
    cell = f"{world.raci_task.pk}:{role('gkam').pk}:R"
    world.client_for("lead").post(reverse("raci:toggle", args=[world.account.slug]), {"cell": cell})
    RaciMatrix.objects.create(account=world.account)
    world.touchpoint.status, world.touchpoint.outcome = "done", "Sent with a card"
    _by(world.touchpoint, world.lead)
    world.pair.current_level = 3
    _by(world.pair, world.lead)
    world.meeting.format = TeamMeeting.Format.IN_PERSON
    _by(world.meeting, world.lead)
    world.meeting.participants.add(world.lead_membership)

    entries = _entries(world)
    assert ("letter", None, "Responsible") in _changes(entries, "RACI letter")
    letter = next(e for e in entries if e.what == "RACI letter")
    assert letter.obj == "Framework contract: GKAM R" and letter.who == world.lead
    assert ("status", None, "draft") in _changes(entries, "RACI matrix")
    assert {("status", "planned", "done"), ("outcome", "–", "Sent with a card")} <= _changes(
        entries, "touchpoint"
    )
    assert ("current level", "known to each other", "good relationship") in _changes(
        entries, "relationship"
    )
    meeting = _changes(entries, "team meeting")
    assert ("format", "video conference", "in person") in meeting
    assert ("participants", "–", str(world.lead_membership)) in meeting
    assert next(e for e in entries if e.what == "touchpoint").who == world.lead


def test_letters_of_a_deleted_task_keep_the_task_name(world: World) -> None:
    task = RaciTask.objects.create(account=world.account, name="Price list", order=2)
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="A")
    task.delete()  # cascades to its letters
    deleted = [e for e in _entries(world) if e.kind == "-" and e.what == "RACI letter"]
    assert [e.obj for e in deleted] == ["Price list: GKAM A"]


def test_letters_copied_from_a_template_are_in_the_history(world: World) -> None:
    RaciTemplateAssignment.objects.create(task=world.template_task, role=role("gkam"), letter="R")
    world.client_for("lead").post(
        reverse("raci:apply_template", args=[world.account.slug]), {"template": world.template.pk}
    )
    letter = RaciAssignment.objects.get(task__name="Offers")
    assert letter.history.filter(history_type="+").exists()
    entry = next(e for e in _entries(world) if e.what == "RACI letter")
    assert entry.obj == "Offers: GKAM R" and entry.who == world.lead


def test_coaching_answers_are_in_the_history(world: World) -> None:
    question = CoachingQuestion.objects.filter(is_active=True).first()
    coaching_check_create(
        account=world.account,
        by=world.lead,
        answered_on=timezone.localdate(),
        answers={question: "Thanked Max for the quote."},
    )
    assert CoachingAnswer.history.filter(answer="Thanked Max for the quote.").exists()
    assert ("answer", None, "Thanked Max for the quote.") in _changes(
        _entries(world, "?kind=coaching"), "coaching answer"
    )


def test_contact_profiles_are_listed_but_colleague_profiles_stay_private(world: World) -> None:
    _by(Profile(contact=world.contact, primary_colour="green", legal_basis="consent",
                consent_date=datetime.date(2026, 1, 5)), world.lead)  # fmt: skip
    _by(Profile(user=world.lead, goals="SECRET bonus target"), world.lead)
    response = world.client_for("lead").get(_url(world))
    entries = list(response.context["page"].object_list)
    assert ("primary colour", None, "Green") in _changes(entries, "profile")
    assert [e.obj for e in entries if e.what == "profile"] == ["Max Müller"]
    assert "SECRET" not in response.text


# Filters ---------------------------------------------------------------------


def test_filter_by_kind_of_record(world: World) -> None:
    entries = _entries(world, "?kind=raci")
    assert entries and {e.what for e in entries} <= {"RACI task", "RACI letter", "RACI matrix"}
    assert {e.what for e in _entries(world, "?kind=meetings")} == {"team meeting"}


def test_filter_by_person(world: World) -> None:
    world.pair.notes = "Lunch in March"
    _by(world.pair, world.lead)
    world.touchpoint.title = "New year card"
    _by(world.touchpoint, world.member)
    response = world.client_for("lead").get(_url(world, f"?person={world.lead.pk}"))
    assert world.member in response.context["people"]  # everyone who changed something
    entries = list(response.context["page"].object_list)
    assert [e.what for e in entries] == ["relationship"]
    assert {e.who for e in _entries(world, f"?person={world.member.pk}")} == {world.member}


def test_filter_by_period(world: World) -> None:
    world.meeting.purpose = "Spring meeting"
    world.meeting._history_date = timezone.make_aware(datetime.datetime(2025, 3, 10, 9))
    world.meeting.save()
    entries = _entries(world, "?from=2025-03-10&to=2025-03-10")
    assert [(e.what, e.changes[0].new) for e in entries] == [("team meeting", "Spring meeting")]
    assert _entries(world, "?from=2025-03-11&to=2025-12-31") == []
    later = _entries(world, "?from=2025-03-11")
    assert "Spring meeting" not in {c.new for e in later for c in e.changes}


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("?kind=everything", "kind"),
        ("?person=abc", "person"),
        ("?person=999999", "person"),
        ("?from=2026-02-30", "from"),
        ("?from=31.12.2026", "from"),
        ("?from=2026-01-01x", "from"),
        ("?to=20260101", "to"),
        ("?to=1800-01-01", "to"),
        ("?from=2026-05-01&to=2026-04-01", "to"),
        ("?from=" + "9" * 5000, "from"),
    ],
)
def test_filter_values_that_do_not_fit_are_named_and_ignored(
    world: World, query: str, named: str
) -> None:
    response = world.client_for("lead").get(_url(world, query))
    assert response.status_code == 200
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(warnings) == 1 and named in warnings[0]
    assert list(response.context["page"].object_list)  # the history without that filter


def test_no_match_says_so(world: World) -> None:
    response = world.client_for("lead").get(_url(world, "?from=2001-01-01&to=2001-01-02"))
    assert "No change matches these filters." in response.text


def test_history_is_paged_and_keeps_its_filters(world: World) -> None:
    for i in range(60):
        world.touchpoint.title = f"Card {i}"
        world.touchpoint.save()
    response = world.client_for("lead").get(_url(world, "?kind=touchpoints"))
    page = response.context["page"]
    assert len(page.object_list) == 50 and page.paginator.num_pages == 2
    assert page.object_list[0].changes == [Change("what exactly", "Card 58", "Card 59")]
    assert "kind=touchpoints&amp;page=2" in response.text
    last = world.client_for("lead").get(_url(world, "?kind=touchpoints&page=99"))
    assert last.context["page"].number == 2  # out of range: the nearest page


# Access ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 404), ("member", 403), ("manager", 403), ("staff", 200)]
)
def test_only_leads_and_staff_read_the_history(world: World, who: str, status: int) -> None:
    assert world.client_for(who).get(_url(world)).status_code == status


def test_a_read_only_member_cannot_post_to_the_history(world: World) -> None:
    assert world.client_for("member").post(_url(world)).status_code in (403, 405)


# Every model of an account is a source ---------------------------------------


# Models with a history and a path to an account that are not the account's.
NOT_THE_ACCOUNTS = {
    # A person's own choice about their profile, shown to them on "Who can see what".
    "profiles.ProfileShare",
}


def _reaches_account(model: type[Model], depth: int = 3) -> bool:
    queue = deque([(model, 0)])
    while queue:
        current, steps = queue.popleft()
        if current is KeyAccount:
            return True
        if steps == depth:
            continue
        for f in current._meta.concrete_fields:
            if isinstance(f, ForeignKey | OneToOneField) and f.name not in ("updated_by",):
                queue.append((f.related_model, steps + 1))
    return False


def test_every_model_with_history_that_an_account_owns_is_listed() -> None:
    listed = {s.model for s in SOURCES}
    for model in apps.get_models():
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        if model._meta.label in NOT_THE_ACCOUNTS or not _reaches_account(model):
            continue
        assert model in listed, (
            f"{model._meta.label} has a history and belongs to an account: add it to "
            "workspace.history.SOURCES, or to NOT_THE_ACCOUNTS here with the reason"
        )


# Query-count pin -------------------------------------------------------------


def _round(world: World, i: int) -> None:
    """One change of every kind of record (SOURCES), so every page holds every kind."""
    account, plan, lead = world.account, world.plan, world.lead
    account.description = f"Round {i}"
    _by(account, lead)
    RevenueActual.objects.create(account=account, year=2000 + i, amount=Decimal(i))
    plan.strategy = f"Strategy {i}"
    _by(plan, lead)
    PotentialFactory(plan=plan)
    ObjectiveFactory(plan=plan)
    PlanRevenueTarget.objects.update_or_create(plan=plan, year=2026, defaults={"amount": i + 1})
    PlanReview.objects.create(plan=plan, reviewed_by=world.manager, comment=f"Review {i}")
    member = TeamMemberFactory(account=account, user=UserFactory(), role=role("engineering"))
    contact = ContactFactory(account=account)
    profile = _by(Profile(contact=contact, primary_colour="red", legal_basis="consent",
                          consent_date=datetime.date(2026, 1, 5)), lead)  # fmt: skip
    MotiveScore.objects.create(profile=profile, motive=Motive.objects.first(), score=1)
    task = RaciTask.objects.create(account=account, name=f"Task {i}", order=i + 2)
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="R")
    RaciMatrix.objects.get_or_create(account=account)[0].participants.add(member)
    Touchpoint.objects.create(
        account=account, contact=contact, year=2026, quarter=1, title=f"Call {i}", owner=member
    )
    RelationshipPair.objects.create(account=account, member=member, contact=contact)
    TeamMeeting.objects.create(account=account, year=2026, quarter=2).participants.add(member)
    check = CoachingCheck.objects.create(
        account=account, answered_by=lead, answered_on=datetime.date(2026, 1, 1)
    )
    question = CoachingQuestion.objects.first()
    CoachingAnswer.objects.create(self_check=check, question=question, answer=f"Answer {i}")
    Appreciation.objects.create(
        account=account, member=member, thanked_on=datetime.date(2026, 1, 1), recorded_by=lead
    )
    OpportunityFactory(owner=member, title=f"Deal {i}")


def test_history_queries_do_not_grow_with_the_history(world: World) -> None:
    _round(world, 0)
    small = page_queries(world.client_for("lead"), _url(world))
    for i in range(1, 25):
        _round(world, i)
    large = page_queries(world.client_for("lead"), _url(world))
    assert small == large, f"{small} queries with 1 round of changes, {large} with 25"
    # pinned: one query per kind of record and per related model, and the
    # unread count of the top bar's bell (notifications.context_processors)
    # + an opportunity's stage and owner (2); + a touchpoint's companions (1)
    assert large == 44
    filtered = page_queries(world.client_for("lead"), _url(world, "?kind=raci"))
    assert filtered == 16  # RACI only: three kinds of record; the bell's count


# The demo -------------------------------------------------------------------


def _history_rows() -> int:
    return sum(s.model.history.count() for s in SOURCES)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_demo_history_shows_raci_touchpoints_relationships_and_meetings() -> None:
    call_command("demo", stdout=StringIO())
    recorded = _history_rows()
    call_command("demo", stdout=StringIO())  # run again: every row saved, nothing changed
    assert _history_rows() == recorded
    client = Client()
    client.force_login(User.objects.get(username="kam"))
    url = reverse("accounts:history", args=["nordstern"])
    for kind, what, label in [
        ("raci", "RACI letter", "letter"),
        ("touchpoints", "touchpoint", "status"),
        ("relationships", "relationship", "target level"),
        ("meetings", "team meeting", "format"),
    ]:
        entries = client.get(f"{url}?kind={kind}").context["page"].object_list
        assert label in {c.label for e in entries if e.what == what for c in e.changes}, kind


def test_buying_centre_roles_of_a_contact_are_in_the_history(world: World) -> None:
    """Who made Max Müller a decider, and when: the roles are in the contact's history."""
    from accounts.models import BuyingCentreRole

    decider = BuyingCentreRole.objects.get(code="decider")
    contact = world.contact
    response = world.client_for("lead").post(
        reverse("accounts:contact_edit", args=[world.account.slug, contact.pk]),
        {
            "version": contact.version,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "position": contact.position,
            "attitude": contact.attitude,
            "influence": contact.influence,
            "buying_roles": [decider.pk],
        },
    )
    assert response.status_code == 302
    entries = [e for e in _entries(world) if e.what == "customer contact"]
    roles = {(c.label, c.new) for e in entries for c in e.changes}
    assert ("buying-centre roles", str(decider)) in roles
    assert (
        next(e for e in entries if any(c.label == "buying-centre roles" for c in e.changes)).who
        == world.lead
    )


def test_every_field_the_history_shows_is_named_in_both_languages() -> None:
    """A field without a translatable name shows its Python name ("objective",
    "task") in the German history: each one shown has a lazy translation."""
    from django.utils.functional import Promise

    from workspace.history import SOURCES
    from workspace.history_entries import _fields

    unnamed = [
        f"{source.model._meta.label}.{f.name}"
        for source in SOURCES
        for f in _fields(source)
        if not isinstance(f.verbose_name, Promise)
    ]
    assert unnamed == []
