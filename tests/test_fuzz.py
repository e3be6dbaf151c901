"""Fuzzing: hypothesis drives every view that accepts input.

Every POST view of the authorization matrix (tests/test_authorization_matrix.py
SAMPLES) gets submissions built from its form's real field names: plausible
values with some or all fields replaced by arbitrary unicode (NUL bytes, RTL
marks, emoji), 100 kB strings, negative, huge and overflowing numbers,
malformed dates, missing fields, several values for one field, and IDs of
another account's objects; sometimes the URL itself points at the other
account's object. Every GET view gets fuzzed query strings.

Asserted: no response of 500 or above (the test client re-raises server
errors), and unless the response is a successful redirect, nothing in the
database changed. GET requests never write. No request allocates more than a
few MB at its peak (tests/memory.py): a number field that let 8000000 through
to code building a range of years took a worker from 65 MB to 603 MB.

A few examples per view by default; `KAMTEAM_FUZZ_EXAMPLES=200` runs 200.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, currently_in_test_context, event, given, note, settings
from hypothesis import strategies as st

from accounts.models import TeamRole
from raci.models import RaciTemplate, RaciTemplateTask
from tests import fixtures as conftest
from tests import test_authorization_matrix as matrix
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    PlanFactory,
    PotentialFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from tests.fuzz_strategies import (
    HUGE_NUMBERS,
    Field,
    discover_fields,
    form_data,
    is_number,
    nasty_value,
    plausible,
    query_params,
)
from tests.memory import metered
from tests.snapshot import database_snapshot
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint

# The marker makes pytest-django create the test database even when only the
# fuzz tests run; each test's own transaction nests inside the module's (see fuzz).
pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("KAMTEAM_FUZZ_EXAMPLES", "0") or 0)
POST_EXAMPLES = EXAMPLES or 5
# Query strings reach far less code than forms: a quarter of the examples
# (KAMTEAM_FUZZ_GET_EXAMPLES overrides it).
GET_EXAMPLES = int(os.environ.get("KAMTEAM_FUZZ_GET_EXAMPLES", "0") or 0) or max(EXAMPLES // 4, 3)

FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No example database in the shared checkout; failures print their example.
    "database": None,
    "print_blob": True,
}


SNAPSHOT_APPS = (
    "accounts",
    "profiles",
    "raci",
    "touchpoints",
    "coaching",
    "portfolio",
    "opportunities",
    "whitespace",
)
# Derived data a read keeps up to date, as the page cache is (portfolio.scores):
# a GET may store a score computed afresh. That the stored score is the live
# one is portfolio/tests/test_stored_scores.py's to check.
DERIVED = {"portfolio.HealthScore", "portfolio.HealthScoreSweep"}


def full_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the project's tables, many-to-many tables included.

    The same picture as tests.snapshot.database_snapshot() (plus the coaching
    and portfolio apps and the m2m tables), read with plain SQL: the fuzzer
    takes two per example, and building model dicts would dominate its time.
    """
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for app_label in SNAPSHOT_APPS:
            for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
                if model._meta.label in DERIVED:
                    continue
                table = connection.ops.quote_name(model._meta.db_table)
                pk = connection.ops.quote_name(model._meta.pk.column)
                cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
                snapshot[model._meta.label] = cursor.fetchall()
    return snapshot


# Who posts where -------------------------------------------------------------

WRITER = {
    matrix.ACCOUNT_WRITE: "lead",
    matrix.ACCOUNT_WRITE_POST: "lead",
    matrix.MANAGERS_ONLY: "manager",
    matrix.MANAGERS_ONLY_POST: "manager",
    matrix.ACCOUNT_MANAGE: "manager",
    matrix.ANY_USER_POST: "lead",
    matrix.PERSON_WRITE: "member",  # the person themself
}
POST_ONLY = {matrix.ACCOUNT_WRITE_POST, matrix.MANAGERS_ONLY_POST, matrix.ANY_USER_POST}

# (target id, URL name, actor)
POST_TARGETS = [
    (name, name, WRITER[sample.kind])
    for name, sample in matrix.SAMPLES.items()
    if sample.kind in WRITER
]
POST_TARGETS += [
    ("password_change", "password_change", "lead"),
]


def _reader(kind: str) -> str | None:
    for actor in ("lead", "manager", "member"):
        if matrix.EXPECTED_GET[actor].get(kind) in (200, 302):
            return actor
    return None


GET_TARGETS = [
    (name, _reader(sample.kind))
    for name, sample in matrix.SAMPLES.items()
    if sample.kind != "logout" and sample.kind not in POST_ONLY and _reader(sample.kind)
]


# The second account whose IDs the fuzzer smuggles in ----------------------------


@dataclass(repr=False)
class Fuzz:
    world: World
    other: SimpleNamespace
    ids: list[int]
    clients: dict[str, Client] = field(default_factory=dict)
    fields: dict[str, dict[str, Field]] = field(default_factory=dict)

    def client(self, actor: str | None) -> Client:
        """The actor's logged-in client (None: a visitor), measuring every request."""
        key = actor or "anonymous"
        if key not in self.clients:
            # raise_request_exception: a server error fails the example.
            client = Client(raise_request_exception=True)
            if actor:
                client.force_login(getattr(self.world, actor))
            metered(client)
            self.clients[key] = client
        return self.clients[key]


@pytest.fixture(scope="module")
def fuzz(django_db_setup: None, django_db_blocker: Any) -> Iterator[Fuzz]:
    """conftest's world and a second account, built once for the whole module.

    Per-test fixtures would rebuild both for each of the ~130 tests; instead the
    module runs in one transaction that is rolled back at the end, and every
    example runs in a savepoint that is rolled back after it (see _check).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        if not TeamRole.objects.exists():
            # Run after transaction=True tests, which flush the seeded catalogues.
            conftest.seeded.__wrapped__()
        world = conftest.world.__wrapped__(None)
        fz = _build(world)
        # Log in here, not inside a test: each test's transaction is rolled
        # back at its end, and a session created in it would go with it.
        for actor in ("lead", "manager", "member"):
            fz.client(actor)
        yield fz
        transaction.set_rollback(True)


def _build(world: World) -> Fuzz:
    account = KeyAccountFactory(name="Südwind GmbH", slug="suedwind")
    lead = UserFactory(username="lead2")
    membership = TeamMemberFactory(account=account, user=lead, role=role("gkam"))
    former = TeamMemberFactory(
        account=account, user=UserFactory(username="former2"), role=role("engineering")
    )
    former.archived_at = timezone.now()
    former.save()
    plan = PlanFactory(account=account)
    PotentialFactory(plan=plan)
    ObjectiveFactory(plan=plan)
    contact = ContactFactory(account=account, first_name="Sven", last_name="Süd")
    archived = ContactFactory(account=account, archived_at=timezone.now())
    template = RaciTemplate.objects.create(name="Other template")
    other = SimpleNamespace(
        account=account,
        lead=lead,
        member=lead,
        manager=world.manager,  # managers are not on teams: the same one reviews both
        membership=membership,
        lead_membership=membership,
        former_membership=former,
        plan=plan,
        contact=contact,
        archived_contact=archived,
        raci_task=account.raci_tasks.create(name="Other task", order=1),
        template=template,
        template_task=RaciTemplateTask.objects.create(template=template, name="Other offers"),
        touchpoint=Touchpoint.objects.create(
            account=account, contact=contact, year=2026, quarter=2, title="Visit", owner=membership
        ),
        pair=RelationshipPair.objects.create(account=account, member=membership, contact=contact),
        meeting=TeamMeeting.objects.create(
            account=account, year=2026, quarter=2, purpose="Kickoff"
        ),
    )
    w = world
    objects = [
        *(
            getattr(ns, attr)
            for ns in (w, other)
            for attr in (
                "account",
                "lead",
                "member",
                "lead_membership",
                "former_membership",
                "plan",
                "contact",
                "archived_contact",
                "raci_task",
                "template",
                "template_task",
                "touchpoint",
                "pair",
                "meeting",
            )
        ),
        w.manager,
        w.outsider,
        w.staff,
        w.membership,
        *w.plan.potentials.all(),
        *w.plan.objectives.all(),
        *other.plan.potentials.all(),
        *other.plan.objectives.all(),
    ]
    ids = sorted({o.pk for o in objects} | set(TeamRole.objects.values_list("pk", flat=True)))
    return Fuzz(world=world, other=other, ids=ids)


def _urls(fz: Fuzz, name: str) -> list[str]:
    """The sample URL, and the same URL pointing at the other account's object."""
    own = matrix.SAMPLES[name].kwargs(fz.world)
    other = matrix.SAMPLES[name].kwargs(fz.other)
    mixed = {
        k: own[k] if k == "slug" or (k == "pk" and "task_id" in own) else other[k] for k in own
    }
    urls = [reverse(name, kwargs=own)]
    if mixed != own:
        urls.append(reverse(name, kwargs=mixed))
    # Ids in the path that no table can hold.
    huge = {k: "99999999999999999999" if isinstance(v, int) else v for k, v in own.items()}
    if huge != own:
        urls.append(reverse(name, kwargs=huge))
    return urls


def _post_only_fields(fz: Fuzz, name: str) -> dict[str, Field]:
    w, o = fz.world, fz.other
    roles = [*TeamRole.objects.values_list("pk", flat=True), 0, 2**40]
    if name in ("raci:toggle", "raci:template_toggle"):
        tasks = [w.raci_task.pk, o.raci_task.pk, w.template_task.pk, o.template_task.pk]
        cells = [f"{t}:{r}:{x}" for t in tasks for r in roles for x in "RACIX"]
        cells += ["1:2", "a:b:c", "1:2:3:4", f"{w.raci_task.pk}:{roles[0]}:", "::"]
        return {"cell": Field("cell", "select", options=cells)}
    if name == "raci:apply_template":
        return {"template": Field("template", "select", options=[str(w.template.pk)])}
    if name in ("raci:task_move", "whitespace:unit_move"):
        return {"direction": Field("direction", "select", options=["up", "down"])}
    return {}


def _fields(fz: Fuzz, target: str, name: str, actor: str) -> dict[str, Field]:
    if target not in fz.fields:
        if matrix.SAMPLES.get(name) and matrix.SAMPLES[name].kind in POST_ONLY:
            fz.fields[target] = _post_only_fields(fz, name)
        else:
            url = _urls(fz, name)[0]
            response = fz.client(actor).get(url)
            assert response.status_code == 200, (target, response.status_code)
            if response["Content-Type"].startswith("text/html"):
                fz.fields[target] = discover_fields(response.content.decode(), url)
            else:  # a file to download (an import template): no form to fill
                fz.fields[target] = {}
    return fz.fields[target]


def _short(data: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        k: [v if len(v) < 80 else f"{v[:20]!r}...({len(v)} chars)" for v in vs]
        for k, vs in data.items()
    }


def _is_success_redirect(response: Any) -> bool:
    return response.status_code == 302 and not response["Location"].startswith(reverse("login"))


def _check(fz: Fuzz, actor: str, send: Any, *, may_write: bool, visitor: bool = False) -> None:
    """Send one request inside a savepoint that is always rolled back.

    `visitor` sends it without logging in; `actor` still names whose session
    must survive.
    """
    fz.client(actor)  # logged in before the snapshot: login writes last_login
    client = fz.client(None if visitor else actor)
    meter = metered(client)
    with transaction.atomic():
        before = full_snapshot()
        response = send(client)
        peak = meter.last_peak
        if currently_in_test_context():  # the sweep below runs without hypothesis
            note(f"status {response.status_code}, peak {peak / 2**20:.1f} MB")
            event(f"status {response.status_code}")  # see --hypothesis-show-statistics
        assert response.status_code < 500
        assert peak < meter.last_limit, f"the request allocated {peak / 2**20:.0f} MB"
        # A lost session would make every later example a harmless redirect.
        assert not response.get("Location", "").startswith(reverse("login"))
        if not (may_write and _is_success_redirect(response)):
            assert full_snapshot() == before, f"written with status {response.status_code}"
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("target", "name", "actor"), POST_TARGETS, ids=[t[0] for t in POST_TARGETS]
)
@settings(max_examples=POST_EXAMPLES, **FUZZ_SETTINGS)
@given(data=st.data())
def test_post_fuzz(fuzz: Fuzz, target: str, name: str, actor: str, data: st.DataObject) -> None:
    fields = _fields(fuzz, target, name, actor)
    urls = _urls(fuzz, name)
    url = data.draw(st.sampled_from(urls[:1] * 4 + urls[1:]), label="url")  # mostly our own
    post = data.draw(form_data(fields, fuzz.ids), label="post")
    query = data.draw(st.one_of(st.just({}), query_params(fuzz.ids)), label="query")
    urlencoded = data.draw(st.booleans(), label="urlencoded")
    note(f"POST {url} query={_short(query)} data={_short(post)}")
    if query:
        url = f"{url}?{urlencode(query, doseq=True)}"

    def send(client: Client) -> Any:
        if urlencoded:
            return client.post(
                url,
                urlencode(post, doseq=True),
                content_type="application/x-www-form-urlencoded",
            )
        return client.post(url, post)

    _check(fuzz, actor, send, may_write=True)


@pytest.mark.parametrize(("name", "actor"), GET_TARGETS, ids=[t[0] for t in GET_TARGETS])
@settings(max_examples=GET_EXAMPLES, **FUZZ_SETTINGS)
@given(data=st.data())
def test_get_fuzz(fuzz: Fuzz, name: str, actor: str, data: st.DataObject) -> None:
    url = data.draw(st.sampled_from(_urls(fuzz, name)), label="url")
    query = data.draw(query_params(fuzz.ids), label="query")
    note(f"GET {url} query={_short(query)}")
    _check(fuzz, actor, lambda client: client.get(url, query), may_write=False)


PATH_TARGETS = [
    ("profiles:person", "username", "lead"),
    ("profiles:person_edit", "username", "member"),
    ("calendar_feed", "token", None),
]


@pytest.mark.parametrize(("name", "kwarg", "actor"), PATH_TARGETS)
@settings(max_examples=GET_EXAMPLES, **FUZZ_SETTINGS)
@given(value=st.one_of(nasty_value([1]), st.just("\x00"), st.just("lead\x00")))
def test_path_fuzz(fuzz: Fuzz, name: str, kwarg: str, actor: str | None, value: str) -> None:
    """Free-text path segments (user names, feed tokens) with arbitrary text."""
    template = reverse(name, kwargs={kwarg: "PLACEHOLDER"})
    url = template.replace("PLACEHOLDER", quote(value[:2000], safe="") or "x")
    for method in ("get", "post"):
        _check(
            fuzz,
            actor or "lead",
            lambda client, m=method: getattr(client, m)(url, {}),
            may_write=method == "post",
            visitor=actor is None,
        )


@pytest.mark.parametrize(
    ("target", "name", "actor"), POST_TARGETS, ids=[t[0] for t in POST_TARGETS]
)
def test_huge_number_in_any_number_field_stays_small(
    fuzz: Fuzz, target: str, name: str, actor: str
) -> None:
    """Each number field alone gets each huge number, everything else plausible.

    The random examples rarely break exactly one year and keep the other
    valid, which is what reached the cross-field code; this sweep always does.
    """
    fields = _fields(fuzz, target, name, actor)
    url = _urls(fuzz, name)[0]
    valid = {n: plausible(f) for n, f in fields.items()}
    # The default run sends the three that hurt (materialised ranges, huge
    # exponents); the extended run every one of HUGE_NUMBERS.
    values = HUGE_NUMBERS if EXAMPLES else ["9" * 30, "8000000", "-1e30"]
    for field_name in sorted(n for n, f in fields.items() if is_number(f)):
        for value in values:
            data = {**valid, field_name: [value]}
            try:
                _check(fuzz, actor, lambda client, d=data: client.post(url, d), may_write=True)
            except AssertionError as error:
                raise AssertionError(f"{field_name}={value[:12]}: {error}") from error


def test_every_input_view_is_fuzzed() -> None:
    """A new view that accepts input joins the fuzzing through SAMPLES."""
    posted = {name for _t, name, _a in POST_TARGETS}
    writers = {n for n, s in matrix.SAMPLES.items() if s.kind in WRITER}
    assert writers <= posted
    assert len(POST_TARGETS) >= 45
    assert len(GET_TARGETS) >= 60


# Regression tests for what the fuzzer found ------------------------------------

HUGE_ID = "99999999999999999999"  # beyond 64 bits


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        (
            "accounts:contact_create",
            lambda w: {"slug": w.account.slug},
            {"first_name": "Ada", "last_name": "Huge", "attitude": "neutral", "influence": "3"},
        ),
        (
            "raci:status",
            lambda w: {"slug": w.account.slug},
            {"status": "draft"},
        ),
        (
            "touchpoints:meeting_create",
            lambda w: {"slug": w.account.slug},
            {
                "year": "2026",
                "quarter": "2",
                "format": "video",
                "purpose": "Huge",
                "status": "planned",
            },
        ),
        (
            "accounts:plan_edit",
            lambda w: {"slug": w.account.slug, "plan_id": w.plan.pk},
            {"start_year": "2026", "end_year": "2028", "status": "draft", "version": "1"},
        ),
    ],
)
def test_out_of_range_ids_in_multiple_choices_are_refused(
    fuzz: Fuzz, name: str, kwargs: Any, data: dict[str, str]
) -> None:
    """An id beyond 64 bits in a checkbox list overflowed SQLite (a 500)."""
    m2m = {
        "accounts:contact_create": "buying_roles",
        "raci:status": "participants",
        "touchpoints:meeting_create": "participants",
        "accounts:plan_edit": "workshop_participants",
    }[name]
    # The module's world (see fuzz): the conftest fixture would build a second one.
    world = fuzz.world
    client = fuzz.client("lead")
    before = database_snapshot()
    response = client.post(reverse(name, kwargs=kwargs(world)), {**data, m2m: ["1", HUGE_ID]})
    assert response.status_code == 400
    assert m2m in response.context["form"].errors
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("name", "actor"),
    [("accounts:list", "lead"), ("directory", "lead"), ("portfolio:portfolio", "manager")],
)
def test_nul_byte_in_search_is_ignored(fuzz: Fuzz, name: str, actor: str) -> None:
    """?q= with a NUL byte reached PostgreSQL, which refuses it (a 500)."""
    client = fuzz.client(actor)
    before = database_snapshot()
    response = client.get(reverse(name), {"q": "Nord\x00wind"})
    assert response.status_code in (200, 400)  # 400 if a middleware refuses NUL first
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("path", "actor"),
    [
        ("/people/lead%00/", "lead"),
        ("/people/lead%00/edit/", "lead"),
        ("/calendar/abc%00def.ics", None),
    ],
)
def test_nul_byte_in_path_is_not_found(fuzz: Fuzz, path: str, actor: str | None) -> None:
    """A NUL byte in a user name or feed token reached PostgreSQL (a 500)."""
    response = (fuzz.client(actor) if actor else Client()).get(path)
    assert response.status_code in (400, 404)  # 400 if a middleware refuses NUL first
