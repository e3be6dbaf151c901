"""The personal-data export (/me/profile/export/) holds everything stored about the person."""

from __future__ import annotations

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import AccountTeamMember, KeyAccount
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
from portfolio.models import PlanReview
from profiles.models import Profile, ProfileShare
from raci.models import RaciMatrix
from tests.fixtures import World
from touchpoints.models import CalendarFeed
from users.models import User

# A seat on an account team is the person in a role: what refers to it refers to them.
PERSON_MODELS = (User, AccountTeamMember)


def _export(world: World, who: str) -> dict:
    response = world.client_for(who).get(reverse("my_export"))
    assert response.status_code == 200
    return json.loads(response.content)


def _models_referring_to_a_person() -> dict[str, list[str]]:
    """Every model (historical ones included) with a field pointing at a person."""
    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.get_fields()
            if f.is_relation and not f.auto_created and f.related_model in PERSON_MODELS
        ]
        if fields:
            found[model._meta.label_lower] = fields
    return found


def test_every_model_referring_to_a_person_has_a_section_in_the_export(world: World) -> None:
    """A new model with a user (or team seat) reference fails here until it is exported.

    Historical models are included: their `history_user` says what the person
    changed and when, and their copies of person fields are earlier versions
    of records about the person.
    """
    data = _export(world, "member")
    referring = _models_referring_to_a_person()
    assert "coaching.appreciation" in referring and "accounts.historicalprofile" not in referring
    missing = {label: fields for label, fields in referring.items() if label not in data["sources"]}
    assert not missing, f"models referring to a person but missing from the export: {missing}"
    for label in referring:
        for section in data["sources"][label]:
            assert section in data, (label, section)


@pytest.fixture
def lead_records(world: World) -> dict[str, object]:
    """One record of every kind that refers to the lead, each with a marker."""
    lead, seat = world.lead, world.lead_membership
    Profile.objects.create(user=lead, primary_colour="red", goals="GOAL-MARKER")
    ProfileShare.objects.create(user=lead, account=world.account, part="motives", audience="team")
    Appreciation.objects.create(
        account=world.account,
        member=seat,
        thanked_on=datetime.date(2026, 1, 5),
        note="THANKED-LEAD-MARKER",
        recorded_by=world.member,
    )
    Appreciation.objects.create(
        account=world.account,
        member=world.membership,
        thanked_on=datetime.date(2026, 1, 6),
        note="LEAD-THANKED-MEMBER-MARKER",
        recorded_by=lead,
    )
    world.touchpoint.outcome = "TOUCHPOINT-MARKER"
    world.touchpoint.save()
    world.pair.notes = "RELATIONSHIP-MARKER"
    world.pair.save()
    world.meeting.purpose = "MEETING-MARKER"
    world.meeting.save()
    world.meeting.participants.add(seat)
    world.plan.updated_by = lead
    world.plan.save()
    world.plan.workshop_participants.add(seat)
    matrix = RaciMatrix.objects.create(account=world.account, updated_by=lead)
    matrix.participants.add(seat)
    check = CoachingCheck.objects.create(
        account=world.account, answered_on=datetime.date(2026, 2, 1), answered_by=lead
    )
    CoachingAnswer.objects.create(
        self_check=check, question=CoachingQuestion.objects.first(), answer="COACHING-MARKER"
    )
    PlanReview.objects.create(plan=world.plan, reviewed_by=lead, comment="REVIEW-MARKER")
    feed = CalendarFeed.objects.create(user=lead)
    LogEntry.objects.create(
        user=lead,
        content_type=ContentType.objects.get_for_model(KeyAccount),
        object_id=str(world.account.pk),
        object_repr="ADMIN-MARKER",
        action_flag=CHANGE,
        change_message="[]",
    )
    return {"token": feed.token}


def test_export_holds_every_record_about_the_person(
    world: World, lead_records: dict[str, object]
) -> None:
    data = _export(world, "lead")
    assert data["profile"]["goals"] == "GOAL-MARKER"
    assert data["profile_history"]["profile"][0]["values"]["goals"] == "GOAL-MARKER"
    assert data["profile_shares"] == [
        {
            "account": world.account.name,
            "part": "motives",
            "audience": "team",
            "since": data["profile_shares"][0]["since"],
        }
    ]
    assert [a["note"] for a in data["appreciations_received"]] == ["THANKED-LEAD-MARKER"]
    assert [a["note"] for a in data["appreciations_recorded"]] == ["LEAD-THANKED-MEMBER-MARKER"]
    assert [t["outcome"] for t in data["touchpoints_owned"]] == ["TOUCHPOINT-MARKER"]
    assert [r["notes"] for r in data["relationships"]] == ["RELATIONSHIP-MARKER"]
    assert [m["purpose"] for m in data["team_meetings"]] == ["MEETING-MARKER"]
    assert data["plans"][0]["workshop_participant"] and data["plans"][0]["last_changed_by_you"]
    assert data["raci_matrices"][0]["session_participant"]
    assert data["coaching_self_checks"][0]["answers"][0]["answer"] == "COACHING-MARKER"
    assert [r["comment"] for r in data["plan_reviews_written"]] == ["REVIEW-MARKER"]
    assert data["calendar_feed"]["active"] is True
    assert [e["object"] for e in data["admin_actions"]] == ["ADMIN-MARKER"]
    linked = {(e["model"], tuple(e["linked_by"])) for e in data["history"]}
    assert ("touchpoints.touchpoint", ("owner",)) in linked
    assert ("accounts.accountteammember", ("user",)) in linked
    assert ("coaching.appreciation", ("member",)) in linked


def test_export_leaves_out_the_calendar_secret_and_other_peoples_data(
    world: World, lead_records: dict[str, object]
) -> None:
    # The lead edits the member's profile: the lead's export says so, without the content.
    profile = Profile(user=world.member, goals="MEMBER-SECRET")
    profile._history_user = world.lead
    profile.save()
    text = json.dumps(_export(world, "lead"))
    assert str(lead_records["token"]) not in text
    assert "MEMBER-SECRET" not in text
    lead_data = json.loads(text)
    assert any(
        e["model"] == "profiles.profile" and e["linked_by"] == ["history_user"]
        for e in lead_data["history"]
    )
    member_text = json.dumps(_export(world, "member"))
    for marker in ("GOAL-MARKER", "COACHING-MARKER", "REVIEW-MARKER", "MEETING-MARKER"):
        assert marker not in member_text


def test_export_names_the_single_sign_on_identity(world: World) -> None:
    from sso.models import OidcIdentity

    OidcIdentity.objects.create(user=world.member, issuer="https://idp.example", subject="S-42")
    OidcIdentity.objects.create(user=world.lead, issuer="https://idp.example", subject="S-LEAD")
    data = _export(world, "member")
    assert [(i["issuer"], i["subject"]) for i in data["single_sign_on_identities"]] == [
        ("https://idp.example", "S-42")
    ]
