"""The fragment cache (core.fragments): fast repeat views that are never stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import KeyAccount, PlanObjective
from core import fragments
from core.cached import cached_value
from core.models import CacheGeneration, ScheduledRun
from profiles.models import ProfileShare
from raci.models import RaciAssignment, RaciMatrix
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from touchpoints.models import Touchpoint
from users.models import MANAGERS_GROUP

pytestmark = pytest.mark.django_db


def _pages(world: World) -> dict[str, str]:
    slug = world.account.slug
    return {
        "overview": reverse("accounts:detail", args=[slug]),
        "raci": reverse("raci:matrix", args=[slug]),
        "grid": reverse("touchpoints:grid", args=[slug]) + "?year=2026",
        "my_roles": reverse("my_roles"),
        "my_touchpoints": reverse("my_touchpoints"),
        "team": reverse("accounts:team", args=[slug]),
        "team_add": reverse("accounts:member_add", args=[slug]),
    }


def _version(scope: str) -> int:
    row = CacheGeneration.objects.filter(scope=scope).first()
    return row.value if row else 0


# Changes reach the cached pages ------------------------------------------------


def test_a_touchpoint_change_reaches_the_cached_grid(world: World, lead_client: Client) -> None:
    url = _pages(world)["grid"]
    assert "Christmas gift" in lead_client.get(url).text
    world.touchpoint.title = "New year letter"
    world.touchpoint.save()
    text = lead_client.get(url).text
    assert "New year letter" in text and "Christmas gift" not in text


def test_a_letter_reaches_the_cached_matrix_and_my_roles(world: World) -> None:
    member = world.client_for("member")
    matrix, mine = _pages(world)["raci"], _pages(world)["my_roles"]
    assert "Framework contract" not in member.get(mine).text
    member.get(matrix)
    RaciAssignment.objects.create(task=world.raci_task, role=role("inside-sales"), letter="A")
    assert "Framework contract" in member.get(mine).text
    assert 'aria-label="A, ' not in member.get(matrix).text  # read-only: letters, no buttons
    assert '<span class="letter letter-A">A</span>' in member.get(matrix).text


def test_a_plan_row_one_step_from_the_account_reaches_the_overview(
    world: World, lead_client: Client
) -> None:
    url = _pages(world)["overview"]
    lead_client.get(url)
    before = _version(fragments.account_scope(world.account.pk))
    PlanObjective.objects.create(plan=world.plan, text="Win the Nordic tender")
    assert _version(fragments.account_scope(world.account.pk)) == before + 1
    assert "Win the Nordic tender" in lead_client.get(url).text


def test_a_renamed_colleague_reaches_every_account_page(world: World, lead_client: Client) -> None:
    pages = _pages(world)
    for url in pages.values():
        lead_client.get(url)
    world.lead.first_name = "Helena"
    world.lead.save()
    for name in ("grid", "my_touchpoints"):
        assert "Helena Lead" in lead_client.get(pages[name]).text, name
    assert "Helena Lead" in lead_client.get(pages["overview"]).text  # the navigation bar


def test_joining_the_managers_shows_the_portfolio_link(world: World) -> None:
    client = world.client_for("member")
    url = _pages(world)["overview"]
    assert reverse("portfolio:portfolio") not in client.get(url).text
    world.member.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    assert reverse("portfolio:portfolio") in client.get(url).text


def test_a_portfolio_change_anywhere_reaches_the_managers_page(world: World) -> None:
    client = world.client_for("manager")
    url = reverse("portfolio:portfolio")
    assert "Südwind GmbH" not in client.get(url).text
    KeyAccountFactory(name="Südwind GmbH")
    assert "Südwind GmbH" in client.get(url).text


# What the keys keep apart --------------------------------------------------------


def test_each_viewer_gets_their_own_fragment(world: World) -> None:
    url = _pages(world)["grid"]
    edit = reverse("touchpoints:edit", args=[world.account.slug, world.touchpoint.pk])
    assert edit in world.client_for("lead").get(url).text
    assert edit not in world.client_for("member").get(url).text


def test_each_language_gets_its_own_fragment(world: World, lead_client: Client) -> None:
    url = _pages(world)["grid"]
    assert "Touchpoint plan" in lead_client.get(url).text
    german = lead_client.get(url, headers={"accept-language": "de"})
    assert "Touchpoint-Plan" in german.text or "Kontaktplan" in german.text
    assert "Per customer contact and quarter" not in german.text


def test_a_new_csrf_secret_gets_fresh_forms(world: World) -> None:
    """The matrix holds forms: their token must match the browser's CSRF cookie."""
    url = _pages(world)["raci"]
    first = Client(enforce_csrf_checks=True)
    first.force_login(world.lead)
    first.get(url)
    second = Client(enforce_csrf_checks=True)
    second.force_login(world.lead)
    html = second.get(url).text
    token = html.split('name="csrfmiddlewaretoken" value="', 2)[2].split('"', 1)[0]
    cell = f"{world.raci_task.pk}:{role('gkam').pk}:R"
    response = second.post(
        reverse("raci:toggle", args=[world.account.slug]),
        {"cell": cell, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert RaciAssignment.objects.filter(task=world.raci_task, letter="R").exists()


def test_a_new_day_renders_afresh(world: World, lead_client: Client, monkeypatch) -> None:
    """Overdue marks and the current quarter depend on the date."""
    request_key = []
    real_key = fragments.key
    monkeypatch.setattr(
        fragments, "key", lambda *a, **k: request_key.append(real_key(*a, **k)) or request_key[-1]
    )
    url = _pages(world)["grid"]
    lead_client.get(url)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    lead_client.get(url)
    assert request_key[0] != request_key[2]  # [1] and [3] are the navigation bars


def test_another_accounts_change_keeps_this_accounts_fragments(world: World) -> None:
    other = KeyAccountFactory()
    TeamMemberFactory(account=other, user=UserFactory(), role=role("gkam"))
    before = _version(fragments.account_scope(world.account.pk)), _version("shared")
    other.name = "Renamed elsewhere"
    other.save()
    assert (_version(fragments.account_scope(world.account.pk)), _version("shared")) == before


# Counters ---------------------------------------------------------------------------


def test_counters_move_only_when_the_transaction_commits(
    world: World, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(fragments, "_after_commit", transaction.on_commit)
    scope = fragments.account_scope(world.account.pk)
    before = _version(scope)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        world.touchpoint.title = "Changed"
        world.touchpoint.save()
    assert _version(scope) == before  # not yet: a reader could still see the old row
    for callback in waiting:
        callback()
    assert _version(scope) == before + 1


def test_several_writes_in_one_transaction_move_the_counters_once(
    world: World, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """Marking a touchpoint done writes four rows; the counters move in one statement."""
    monkeypatch.setattr(fragments, "_after_commit", transaction.on_commit)
    scope = fragments.account_scope(world.account.pk)
    before = _version(scope), _version("all")
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        for title in ("One", "Two", "Three"):
            world.touchpoint.title = title
            world.touchpoint.save()
    with CaptureQueriesContext(connection) as moved:
        for callback in waiting:
            callback()
    counter_statements = [q for q in moved.captured_queries if "core_cachegeneration" in q["sql"]]
    assert len(waiting) == 3 and len(counter_statements) == 1
    assert (_version(scope), _version("all")) == (before[0] + 1, before[1] + 1)


def test_a_rolled_back_change_moves_no_counter(world: World, monkeypatch) -> None:
    monkeypatch.setattr(fragments, "_after_commit", transaction.on_commit)
    before = _version("all")
    with pytest.raises(RuntimeError), transaction.atomic():
        world.touchpoint.title = "Never saved"
        world.touchpoint.save()
        raise RuntimeError
    assert _version("all") == before


def test_logging_in_moves_no_counter(world: World) -> None:
    before = _version("shared"), _version("all")
    response = Client().post(reverse("login"), {"username": "lead", "password": "secret-pass-123"})
    assert response.status_code == 302
    world.lead.refresh_from_db()
    assert world.lead.last_login is not None
    assert (_version("shared"), _version("all")) == before


# Declarations (fragments.watch) ------------------------------------------------------


def _our_models() -> list[type[Model]]:
    """Every model of our apps (and Django's groups), history tables excepted."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != base and config.label != "auth":
            continue  # a third-party app (including those under .venv)
        for model in config.get_models():
            if hasattr(model, "instance_type") or model in (CacheGeneration, ScheduledRun):
                # simple-history follows its model; the counters themselves; the
                # scheduler's bookkeeping, which no page shows
                continue
            found.append(model)
    return found


def test_every_model_of_ours_is_declared() -> None:
    """A new model must be declared with fragments.watch in its app's ready()."""
    models = _our_models()
    labels = {model._meta.app_label for model in models}
    assert {
        "users",
        "accounts",
        "profiles",
        "raci",
        "touchpoints",
        "coaching",
        "portfolio",
    } <= labels
    assert Group in models
    declared = fragments.watched()
    missing = [model._meta.label for model in models if model not in declared]
    assert not missing, f"declare these with core.fragments.watch(): {missing}"
    for model in models:
        assert post_save.has_listeners(model), model._meta.label
        for field in model._meta.local_many_to_many:
            # A change from the other side reports that side's instance.
            assert field.related_model in declared, f"{model._meta.label}.{field.name}"
    itself = [m for m, w in declared.items() if w.account == fragments.ACCOUNT_ITSELF]
    assert itself == [KeyAccount]


@pytest.fixture
def bumps(monkeypatch) -> list[list[str]]:
    """The scopes of each counter move, instead of moving them."""
    seen: list[list[str]] = []
    monkeypatch.setattr(fragments, "bump", seen.append)
    return seen


def test_each_kind_of_declaration_moves_the_counters_it_did_before(
    world: World, bumps: list[list[str]]
) -> None:
    """The scopes the guess of the account gave, now from the declarations."""
    account = world.account
    own = ["all", fragments.account_scope(account.pk)]
    visible = ["all", "shared", fragments.account_scope(account.pk)]
    shared = ["all", "shared"]

    def archive() -> None:
        account.status = KeyAccount.Status.ARCHIVED
        account.save()

    def rename_only() -> None:
        account.name = "Nordwind SE"
        account.save(update_fields=["name"])

    def same_status_again() -> None:
        account.save(update_fields=["status"])

    cases = [
        ("self", lambda: account.save(), own),
        ("foreign key", lambda: world.touchpoint.save(), own),
        ("one-to-one", lambda: RaciMatrix.objects.create(account=account), own),
        ("delete", lambda: world.pair.delete(), own),
        ("two steps", lambda: PlanObjective.objects.create(plan=world.plan, text="Grow"), own),
        (
            "two steps, parent not loaded",
            lambda: RaciAssignment.objects.get(pk=letter.pk).save(),
            own,
        ),
        ("shared person", lambda: world.lead.save(), shared),
        ("shared catalogue", lambda: role("gkam").save(), shared),
        ("shared template", lambda: world.template_task.save(), shared),
        (
            "user-groups m2m",
            lambda: world.member.groups.add(Group.objects.get(name=MANAGERS_GROUP)),
            shared,
        ),
        ("m2m", lambda: world.plan.workshop_participants.add(world.membership), own),
        (
            "m2m from the team member's side",
            lambda: world.membership.plan_workshops.remove(world.plan),
            visible,
        ),
        ("visibility: team seat", lambda: world.membership.save(), visible),
        (
            "visibility: share",
            lambda: ProfileShare.objects.create(
                user=world.member, account=account, part="notes", audience="team"
            ),
            visible,
        ),
        ("status change", archive, visible),
        ("after the status change, a rename", rename_only, own),
        ("status saved unchanged", same_status_again, own),
    ]
    letter = RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter="R")
    for name, change, expected in cases:
        bumps.clear()
        change()
        assert bumps == [expected], name


def test_a_parent_is_read_from_the_instance_when_loaded(world: World) -> None:
    objective = PlanObjective.objects.create(plan=world.plan, text="Grow")
    expected = ["all", fragments.account_scope(world.account.pk)]
    with CaptureQueriesContext(connection) as loaded:
        assert fragments.scopes_of(objective) == expected
    fresh = PlanObjective.objects.get(pk=objective.pk)
    with CaptureQueriesContext(connection) as looked_up:
        assert fragments.scopes_of(fresh) == expected
    assert (len(loaded.captured_queries), len(looked_up.captured_queries)) == (0, 1)


@pytest.mark.parametrize(
    "account",
    [
        "user",  # a foreign key, but to a person: not the key account
        "user__groups",  # a many-to-many, not a foreign key
        "content_type__app_label",  # not a foreign key
        "user__account",  # no such field one step away
        "account",  # no such field
        "object_repr",  # a column, not a foreign key
        "user__profile__contact",  # three steps
        "",
    ],
)
def test_a_path_that_leads_to_no_account_is_refused(account: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"account={account!r}")):
        fragments.watch(LogEntry, account=account)
    assert LogEntry not in fragments.watched()
    assert not post_save.has_listeners(LogEntry)


def test_a_model_declared_twice_or_shared_with_visibility_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        fragments.watch(Touchpoint, account="contact__account")
    assert fragments.watched()[Touchpoint].account == "account"
    with pytest.raises(ImproperlyConfigured, match="visibility"):
        fragments.watch(LogEntry, visibility=True)
    with pytest.raises(ImproperlyConfigured, match="no column 'colour'"):
        fragments.watch(LogEntry, account="user", visibility_fields=("colour",))
    assert LogEntry not in fragments.watched()


def test_an_undeclared_model_has_no_scopes() -> None:
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        fragments.scopes_of(LogEntry(object_repr="x"))


def test_a_child_whose_parent_is_gone_moves_the_shared_counter(world: World) -> None:
    objective = PlanObjective(plan_id=world.plan.pk + 1000, text="orphan")
    assert fragments.scopes_of(objective) == ["all", "shared"]


# What a cached page costs --------------------------------------------------------------


@pytest.mark.parametrize("name", ["overview", "raci", "grid", "team", "team_add"])
def test_a_cached_account_page_costs_five_queries(world: World, name: str) -> None:
    """Session, user, the account with the viewer's seats, the counters, and the
    unread count of the top bar's bell, which is part of the bar's cache key."""
    client = world.client_for("lead" if name == "team_add" else "member")
    url = _pages(world)[name]
    client.get(url)
    for _ in range(20):
        Touchpoint.objects.create(
            account=world.account,
            contact=world.contact,
            year=2026,
            quarter=1,
            title="More",
            owner=world.membership,
        )
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == 5


@pytest.mark.parametrize("name", ["my_roles", "my_touchpoints"])
def test_a_cached_personal_page_costs_four_queries(world: World, name: str) -> None:
    """Session, user, the counters, the unread count of the top bar's bell."""
    client = world.client_for("member")
    url = _pages(world)[name]
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == 4


def test_the_first_view_after_a_change_renders_afresh(world: World) -> None:
    client = world.client_for("member")
    url = _pages(world)["grid"]
    client.get(url)
    with CaptureQueriesContext(connection) as hit:
        client.get(url)
    KeyAccount.objects.filter(pk=world.account.pk).first().save()
    with CaptureQueriesContext(connection) as miss:
        client.get(url)
    assert len(miss.captured_queries) > len(hit.captured_queries)


def test_a_warning_about_the_address_shows_on_every_view(world: World) -> None:
    """Messages are per request: a cached portfolio still warns about bad filters."""
    client = world.client_for("manager")
    url = reverse("portfolio:portfolio") + "?health=bogus"
    for _ in range(2):
        assert "were not understood and were ignored" in client.get(url).text


def test_colour_badges_follow_a_team_change_on_another_account(world: World) -> None:
    """Who sees whose colours depends on teams anywhere: the cached page must follow."""
    from accounts import services
    from profiles.models import Profile

    colleague = UserFactory(username="carla")
    TeamMemberFactory(account=world.account, user=colleague, role=role("engineering"))
    Profile.objects.create(user=colleague, primary_colour="orange", share_with_team=True)
    elsewhere = KeyAccountFactory()
    TeamMemberFactory(account=elsewhere, user=colleague, role=role("gkam"))
    client = world.client_for("manager")
    url = reverse("raci:matrix", args=[world.account.slug])
    assert "colour-orange" not in client.get(url).content.decode()
    # Gaining the right: the manager joins a team with her on another account.
    seat = TeamMemberFactory(account=elsewhere, user=world.manager, role=role("management"))
    assert "colour-orange" in client.get(url).content.decode()
    # Losing it again: the badge goes at once, not after the cache timeout.
    services.member_remove(member=seat)
    assert "colour-orange" not in client.get(url).content.decode()
    # And archiving the other account ends the shared team just as well.
    TeamMemberFactory(account=elsewhere, user=world.manager, role=role("inside-sales"))
    assert "colour-orange" in client.get(url).content.decode()
    services.account_archive(account=elsewhere)
    assert "colour-orange" not in client.get(url).content.decode()


def test_a_new_team_member_reaches_the_cached_team_page(world: World, lead_client: Client) -> None:
    url = _pages(world)["team"]
    assert "Nadia Neu" not in lead_client.get(url).text
    newcomer = UserFactory(first_name="Nadia", last_name="Neu")
    TeamMemberFactory(account=world.account, user=newcomer, role=role("engineering"))
    assert "Nadia Neu" in lead_client.get(url).text


def test_a_cached_value_is_built_once_until_its_counter_moves(world: World) -> None:
    builds: list[int] = []

    def build() -> list[int]:
        builds.append(1)
        return [len(builds)]

    assert cached_value("probe", ["shared"], build, "a") == [1]
    assert cached_value("probe", ["shared"], build, "a") == [1]
    assert cached_value("probe", ["shared"], build, "b") == [2]  # its own parts
    UserFactory()  # a person: shared data
    assert cached_value("probe", ["shared"], build, "a") == [3]
