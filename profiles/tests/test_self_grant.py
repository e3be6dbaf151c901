"""Nobody widens their own access to a colleague's profile by an action of their own.

Each path a probe used to self-grant (adding the colleague to one's team,
creating an account with oneself as first lead, changing a role, setting the
lead flag) is walked here; afterwards the actor must see nothing of the
colleague's profile that the colleague did not share. The colleague is told
by e-mail when they are put on a team, and the sharing page is theirs alone.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import KeyAccount
from profiles.models import Motive, MotiveScore, Profile, ProfileShare
from tests.factories import UserFactory, role
from tests.fixtures import World
from tests.snapshot import database_snapshot
from users.models import User

SECRETS = ("GOAL-MARKER", "BONUS-MARKER", "INTEREST-MARKER", "NOTE-MARKER", "+1.7")


@pytest.fixture
def colleague(world: World):
    """A colleague on no team of the actors, with a full private profile."""
    person = UserFactory(
        username="carla", first_name="Carla", last_name="Colleague", email="carla@example.com"
    )
    profile = Profile.objects.create(
        user=person,
        primary_colour="orange",
        goals="GOAL-MARKER",
        bonus="BONUS-MARKER",
        interests="INTEREST-MARKER",
        character_notes="NOTE-MARKER",
    )
    MotiveScore.objects.create(
        profile=profile, motive=Motive.objects.get(code="power"), score=Decimal("1.7")
    )
    return person


def _sees_nothing(client, colleague, account: KeyAccount) -> None:
    person_url = reverse("profiles:person", args=[colleague.username])
    assert client.get(person_url).status_code == 404
    edit_url = reverse("profiles:person_edit", args=[colleague.username])
    assert client.get(edit_url).status_code == 404
    for name in ("accounts:team", "accounts:team_composition", "raci:matrix"):
        html = client.get(reverse(name, args=[account.slug])).content.decode()
        for marker in SECRETS:
            assert marker not in html, (name, marker)
        if name != "accounts:team_composition":  # whose colour legend holds every colour
            assert "colour-orange" not in html, name


def _add(client, account: KeyAccount, person, role_code: str = "engineering", **extra) -> None:
    response = client.post(
        reverse("accounts:member_add", args=[account.slug]),
        {"user": person.pk, "role": role(role_code).pk, "team": "core", **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_adding_a_colleague_to_ones_team_grants_nothing(world: World, colleague) -> None:
    client = world.client_for("lead")
    _add(client, world.account, colleague)
    _sees_nothing(client, colleague, world.account)


def test_a_manager_naming_himself_first_lead_gains_nothing(world: World, colleague) -> None:
    client = world.client_for("manager")
    response = client.post(
        reverse("accounts:create"),
        {
            "name": "Selfgrant AG",
            "slug": "selfgrant",
            "industry": "",
            "hq_country": "DE",
            "classification": "B",
            "attractiveness": 3,
            "relative_position": 3,
            "description": "",
            "first_lead": world.manager.pk,
            "lead_role": role("gkam").pk,
            "lead_country": "",
        },
    )
    assert response.status_code == 302
    account = KeyAccount.objects.get(slug="selfgrant")
    _add(client, account, colleague)
    _sees_nothing(client, colleague, account)


def test_changing_roles_and_lead_flags_grants_nothing(world: World, colleague) -> None:
    client = world.client_for("lead")
    _add(client, world.account, colleague)
    seat = world.account.team_members.get(user=colleague)
    edit = reverse("accounts:member_edit", args=[world.account.slug, seat.pk])
    # The colleague becomes a lead (the lead flag), then an NKAM (a role that leads).
    data = {"user": colleague.pk, "role": role("engineering").pk, "team": "core", "is_lead": "on"}
    assert client.post(edit, {**data, "version": getattr(seat, "version", "")}).status_code == 302
    _sees_nothing(client, colleague, world.account)
    seat.refresh_from_db()
    data = {**data, "role": role("nkam").pk, "country": "DE"}
    assert client.post(edit, {**data, "version": getattr(seat, "version", "")}).status_code == 302
    _sees_nothing(client, colleague, world.account)
    # The lead's own seat changes too: nothing.
    own = world.lead_membership
    own_edit = reverse("accounts:member_edit", args=[world.account.slug, own.pk])
    own_data = {"user": world.lead.pk, "role": role("management").pk, "team": "core"}
    response = client.post(
        own_edit, {**own_data, "is_lead": "on", "version": getattr(own, "version", "")}
    )
    assert response.status_code == 302
    _sees_nothing(client, colleague, world.account)


def test_a_member_cannot_make_himself_lead_to_reach_a_leads_share(world, colleague) -> None:
    """The colleague shared her goals with the leads: a member may not become one himself."""
    _add(world.client_for("lead"), world.account, colleague)
    ProfileShare.objects.create(
        user=colleague, account=world.account, part="goals", audience="leads"
    )
    client = world.client_for("member")
    before = database_snapshot()
    seat = world.membership
    edit = reverse("accounts:member_edit", args=[world.account.slug, seat.pk])
    response = client.post(
        edit,
        {"user": world.member.pk, "role": role("gkam").pk, "team": "core", "is_lead": "on"},
    )
    assert response.status_code == 403
    add = reverse("accounts:member_add", args=[world.account.slug])
    response = client.post(add, {"user": world.member.pk, "role": role("gkam").pk, "team": "core"})
    assert response.status_code == 403
    assert database_snapshot() == before
    assert client.get(reverse("profiles:person", args=[colleague.username])).status_code == 404


def test_the_person_is_told_when_put_on_a_team(
    world: World, colleague, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _add(world.client_for("lead"), world.account, colleague)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carla@example.com"]
    assert world.account.name in message.subject
    assert "Lena Lead added you to the team of Nordwind AG as Engineering" in message.body
    assert reverse("my_sharing") in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"


def test_the_notice_is_in_the_persons_language(
    world: World, colleague, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=colleague.pk).update(language="de")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _add(world.client_for("lead"), world.account, colleague)
    (message,) = mail.outbox
    assert "hat Sie" in message.body and message.extra_headers["Content-Language"] == "de"


def test_joining_a_team_oneself_sends_no_mail(
    world: World, django_capture_on_commit_callbacks
) -> None:
    world.lead.email = "lena@example.com"
    world.lead.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _add(world.client_for("lead"), world.account, world.lead, "management")
    assert mail.outbox == []


# The sharing page: the person's alone ------------------------------------------------


def _sharing_data(world: World, **choices: str) -> dict[str, str]:
    data = {f"share_{world.account.pk}_{p}": "" for p in ("motives", "goals", "notes")}
    data.update({f"share_{world.account.pk}_{k}": v for k, v in choices.items()})
    return data


def test_the_person_shares_and_revokes_part_by_part(world: World, colleague) -> None:
    _add(world.client_for("lead"), world.account, colleague)
    person = world.client_for(None)
    person.force_login(colleague)
    url = reverse("my_sharing")
    page = person.get(url)
    assert page.status_code == 200
    assert "only you" in page.content.decode()
    response = person.post(url, _sharing_data(world, goals="leads", motives="team"))
    assert response.status_code == 302
    lead = world.client_for("lead")
    html = lead.get(reverse("profiles:person", args=[colleague.username])).content.decode()
    assert "GOAL-MARKER" in html and "+1.7" in html and "NOTE-MARKER" not in html
    # "Who can see what" names the people.
    html = person.get(url).content.decode()
    assert "Lena Lead" in html
    # Revoked: gone at once, for the lead as for everyone.
    person.post(url, _sharing_data(world))
    assert lead.get(reverse("profiles:person", args=[colleague.username])).status_code == 404
    assert not ProfileShare.objects.filter(user=colleague).exists()
    assert ProfileShare.history.filter(user=colleague).count() >= 4  # the trail is kept


def test_colours_for_all_teams_from_the_sharing_page(world: World, colleague) -> None:
    _add(world.client_for("lead"), world.account, colleague)
    person = world.client_for(None)
    person.force_login(colleague)
    person.post(reverse("my_sharing"), {**_sharing_data(world), "share_colours": "on"})
    assert Profile.objects.get(user=colleague).share_with_team
    html = world.client_for("member").get(reverse("accounts:team", args=[world.account.slug]))
    assert "colour-orange" in html.content.decode()


def test_a_bad_choice_is_refused_at_the_field(world: World, colleague) -> None:
    _add(world.client_for("lead"), world.account, colleague)
    person = world.client_for(None)
    person.force_login(colleague)
    before = database_snapshot()
    response = person.post(reverse("my_sharing"), _sharing_data(world, goals="everyone"))
    assert response.status_code == 400
    field = f"share_{world.account.pk}_goals"
    assert "Select a valid choice" in response.context["form"].errors[field][0]
    assert database_snapshot() == before


def test_no_share_with_a_team_one_is_not_on(world: World, colleague) -> None:
    """A forged field for another account is ignored: the form offers one's own teams only."""
    person = world.client_for(None)
    person.force_login(colleague)
    response = person.post(reverse("my_sharing"), _sharing_data(world, goals="team"))
    assert response.status_code == 302
    assert not ProfileShare.objects.filter(user=colleague).exists()


def test_staff_changes_in_the_admin_are_recorded_and_shown(world: World, colleague) -> None:
    from django.contrib.auth.models import Permission

    profile = Profile.objects.get(user=colleague)
    world.staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_profile", "change_profile"])
    )
    client = world.client_for("staff")
    url = reverse("admin:profiles_profile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "user": colleague.pk,
            "goals": "CHANGED-BY-STAFF",
            "share_with_team": "on",  # read-only there: sharing is the person's decision
            "scores-TOTAL_FORMS": "0",
            "scores-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert profile.history.first().history_user == world.staff
    assert not Profile.objects.get(pk=profile.pk).share_with_team
    person = world.client_for(None)
    person.force_login(colleague)
    html = person.get(reverse("profiles:person", args=[colleague.username])).content.decode()
    assert "CHANGED-BY-STAFF" in html
    assert world.staff.display_name in html.split("Changes")[-1]


def test_the_notice_reaches_a_real_smtp_server(
    world: World, colleague, settings, django_capture_on_commit_callbacks
) -> None:
    """Through Django's SMTP backend to aiosmtpd on a free loopback port, not a mock."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    import socket

    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        with django_capture_on_commit_callbacks(execute=True):
            _add(world.client_for("lead"), world.account, colleague)
    finally:
        controller.stop()
    assert len(received) == 1
    assert received[0]["To"] == "carla@example.com"
    assert "Nordwind AG" in received[0]["Subject"]
