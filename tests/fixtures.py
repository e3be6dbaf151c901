"""The actors every test can use (lead, member, manager, outsider, staff), and the browser."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount, KeyAccountPlan
from raci.models import RaciTask, RaciTemplate, RaciTemplateTask
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
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint
from users.models import User


@dataclass
class World:
    """One account with a lead, a read-only member, and everything under it."""

    account: KeyAccount
    lead: User
    member: User
    manager: User
    outsider: User
    staff: User
    lead_membership: AccountTeamMember
    membership: AccountTeamMember
    former_membership: AccountTeamMember
    plan: KeyAccountPlan
    contact: CustomerContact
    archived_contact: CustomerContact
    raci_task: RaciTask
    template: RaciTemplate
    template_task: RaciTemplateTask
    touchpoint: Touchpoint
    pair: RelationshipPair
    meeting: TeamMeeting

    def client_for(self, who: str | None) -> Client:
        client = Client()
        if who:
            client.force_login(getattr(self, who))
        return client


@pytest.fixture(autouse=True)
def _fragment_cache(request, monkeypatch) -> None:
    """An empty fragment cache per test, and counters that move without a commit.

    A test's transaction never commits, so the on-commit counter updates of
    core.fragments would never run: they run at once instead, and every
    test that reads a page after a change also checks that the change reached
    the cached fragment. Browser tests (transactional) keep the real
    on-commit behaviour.
    """
    from django.core.cache import cache

    from core import fragments

    cache.clear()
    if not flushes_database(request.node):
        monkeypatch.setattr(fragments, "_after_commit", lambda func: func())


def flushes_database(item: pytest.Item) -> bool:
    """Whether `item` runs as a TransactionTestCase: committed rows, every table emptied after."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return any(
        name in fixtures
        for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


# The longest tests (30 to 60 s each), first of those that flush: at the end of
# a run in two processes, one process would otherwise wait alone for one of them.
LONG_FIRST = ("tests/test_html_validity.py::", "tests/test_accessibility.py::")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within pytest-django's order (plain, then flushing, then database-free tests)."""
    flushing = [index for index, item in enumerate(items) if flushes_database(item)]
    if flushing:
        start, end = flushing[0], flushing[-1] + 1
        items[start:end] = sorted(
            items[start:end], key=lambda item: not item.nodeid.startswith(LONG_FIRST)
        )


@pytest.fixture
def world(db: None) -> World:
    account = KeyAccountFactory(name="Nordwind AG", slug="nordwind")
    lead = UserFactory(username="lead", first_name="Lena", last_name="Lead")
    member = UserFactory(username="member", first_name="Max", last_name="Member")
    former = UserFactory(username="former")
    lead_membership = TeamMemberFactory(account=account, user=lead, role=role("gkam"))
    membership = TeamMemberFactory(account=account, user=member, role=role("inside-sales"))
    former_membership = TeamMemberFactory(account=account, user=former, role=role("engineering"))
    former_membership.archived_at = timezone.now()
    former_membership.save()
    plan = PlanFactory(account=account)
    PotentialFactory(plan=plan)
    ObjectiveFactory(plan=plan)
    contact = ContactFactory(account=account, first_name="Max", last_name="Müller")
    archived = ContactFactory(account=account, archived_at=timezone.now())
    template = RaciTemplate.objects.create(name="Global account")
    return World(
        account=account,
        lead=lead,
        member=member,
        manager=UserFactory(username="manager", manager=True),
        outsider=UserFactory(username="outsider"),
        staff=UserFactory(username="staff", is_staff=True),
        lead_membership=lead_membership,
        membership=membership,
        former_membership=former_membership,
        plan=plan,
        contact=contact,
        archived_contact=archived,
        raci_task=RaciTask.objects.create(account=account, name="Framework contract", order=1),
        template=template,
        template_task=RaciTemplateTask.objects.create(template=template, name="Offers"),
        touchpoint=Touchpoint.objects.create(
            account=account,
            contact=contact,
            year=2026,
            quarter=4,
            title="Christmas gift",
            owner=lead_membership,
        ),
        pair=RelationshipPair.objects.create(
            account=account, member=lead_membership, contact=contact
        ),
        meeting=TeamMeeting.objects.create(
            account=account, year=2026, quarter=1, purpose="Sales meeting"
        ),
    )


@pytest.fixture
def lead_client(world: World) -> Client:
    return world.client_for("lead")


class DatabaseQueue:
    """The production queue (django_tasks_db) instead of the suite's immediate one:
    queued tasks wait in the test's database until `run` works them off."""

    def waiting(self) -> list[str]:
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.ready().values_list("task_path", flat=True))

    def run(self) -> int:
        """Every waiting task, oldest first, with db_worker's own Worker.run_task (its
        loop would close the test's connection between tasks). Returns how many ran."""
        from django_tasks import TaskResultStatus
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        ran = 0
        while (waiting := DBTaskResult.objects.ready().get_locked()) is not None:
            waiting.claim(worker.worker_id)
            worker.run_task(waiting)  # records a failure instead of raising it
            waiting.refresh_from_db()
            assert waiting.status == TaskResultStatus.SUCCESSFUL, (
                waiting.task_path,
                waiting.traceback,
            )
            ran += 1
        return ran


# Tasks whose failure the backends only record (the immediate one, the worker), where
# the same code run inside the save would have failed the test that saved.
MUST_SUCCEED = {
    "activities.tasks.sync_touchpoint_activity",
    "core.task_queue.run_together",
    "notifications.tasks.deliver",
}


@pytest.fixture(autouse=True)
def _derived_tasks_succeed() -> Iterator[None]:
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished

    failed: list[str] = []

    def finished(sender, task_result, **kwargs) -> None:  # type: ignore[no-untyped-def]
        watched = task_result.task.module_path in MUST_SUCCEED
        if watched and task_result.status == TaskResultStatus.FAILED:
            failed.extend(e.traceback for e in task_result.errors)

    task_finished.connect(finished, dispatch_uid="tests-derived-tasks-succeed")
    try:
        yield
    finally:
        task_finished.disconnect(dispatch_uid="tests-derived-tasks-succeed")
    assert not failed, "\n".join(failed)


@pytest.fixture
def database_queue(settings) -> DatabaseQueue:  # type: ignore[no-untyped-def]
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return DatabaseQueue()


# The browser: Playwright driving Debian's Chromium ------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DEMO_PASSWORD = "demo-pass-42"


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[object]:
    """Skipped without Chromium, unless KAMTEAM_REQUIRE_BROWSER is set (as in CI).

    The test database is made first (django_db_setup), outside Playwright: the
    database connections opened in its context are gone when it ends, and the
    one that made the test database must be the one that drops it at the end.
    """
    if not shutil.which(CHROMIUM):
        if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
            pytest.fail(f"KAMTEAM_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the
    # whole module; the ORM calls the tests make (demo data, database set-up
    # and flush) are still plain synchronous code.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield WatchedBrowser(browser)
        browser.close()


# Every page a test opens is watched: a Content-Security-Policy violation in
# its console (or as an uncaught page error) fails the test at teardown
# (`_no_csp_violations`). Chromium words it "... violates the following
# Content Security Policy directive ..." (older: "Refused to ...").
CSP_MARKERS = ("Content Security Policy", "Refused to")
CSP_VIOLATIONS: list[str] = []
WATCHED_PAGES: list = []


def _watch(page):
    def record(kind: str, text: str) -> None:
        if any(marker in text for marker in CSP_MARKERS):
            CSP_VIOLATIONS.append(f"{kind} on {page.url}: {text}")

    page.on("console", lambda message: record("console", message.text))
    page.on("pageerror", lambda error: record("pageerror", str(error)))
    WATCHED_PAGES.append(page)
    return WatchedPage(page)


class WatchedPage:
    """A Playwright page, except that add_script_tag works under the CSP.

    Test tooling (axe-core) injected with add_script_tag(content=...) would be
    an inline <script>, which the policy refuses. It is run through DevTools
    instead, which the page's policy does not govern, as page.evaluate is.
    """

    def __init__(self, page) -> None:
        self._page = page

    def __getattr__(self, name: str):
        return getattr(self._page, name)

    def add_script_tag(self, *, content: str | None = None, path=None, **kwargs):
        if content is None and path is not None:
            content = Path(path).read_text()
        if content is None:
            return self._page.add_script_tag(**kwargs)
        session = self._page.context.new_cdp_session(self._page)
        try:
            result = session.send("Runtime.evaluate", {"expression": content})
        finally:
            session.detach()
        if "exceptionDetails" in result:
            raise RuntimeError(f"injected script failed: {result['exceptionDetails']}")
        return None


class WatchedContext:
    def __init__(self, context) -> None:
        self._context = context

    def __getattr__(self, name: str):
        return getattr(self._context, name)

    def new_page(self, *args, **kwargs) -> WatchedPage:
        return _watch(self._context.new_page(*args, **kwargs))


class WatchedBrowser:
    """The Playwright browser; the pages and contexts it opens are watched."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def __getattr__(self, name: str):
        return getattr(self._browser, name)

    def new_page(self, *args, **kwargs) -> WatchedPage:
        return _watch(self._browser.new_page(*args, **kwargs))

    def new_context(self, *args, **kwargs) -> WatchedContext:
        return WatchedContext(self._browser.new_context(*args, **kwargs))


@pytest.fixture(autouse=True)
def _no_csp_violations(request) -> Iterator[None]:
    """Fails a browser test whose pages logged a Content-Security-Policy violation."""
    if "browser" not in request.fixturenames:
        yield
        return
    CSP_VIOLATIONS.clear()
    WATCHED_PAGES.clear()
    yield
    for page in WATCHED_PAGES:  # deliver console events still in flight
        if not page.is_closed():
            page.wait_for_timeout(50)
    WATCHED_PAGES.clear()
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    if found:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(found[:20]))


# What the data migrations write, which a flush takes away: (module, function).
SEEDS = (
    ("accounts.migrations.0002_seed_catalogues", "seed"),
    ("profiles.migrations.0002_managers_group", "create_group"),
    ("profiles.migrations.0004_seed_motives", "seed"),
    ("coaching.migrations.0002_seed_questions", "seed"),
    ("opportunities.migrations.0002_seed_stages", "seed"),
    ("documents.migrations.0002_seed_categories", "seed"),
)


def seed_catalogues() -> None:
    """The rows the migrations seed (team roles, motives, questions, Managers), again."""
    with transaction.atomic():
        for module, function in SEEDS:
            getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture
def seeded() -> None:
    """The catalogues the migrations seed, for a test that must not do without them.

    A flush takes them away, and `pytest_runtest_teardown` below puts them
    back for the next test; this says so where a test depends on it.
    """
    seed_catalogues()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Seeds the catalogues again once a test's flush has emptied every table.

    pytest-django runs the tests with transaction=True (browser, live server)
    after all others, but in two processes (pytest-xdist) a worker may be
    handed ordinary tests after them, which would find no team roles. After
    the last test (no `nextitem`) the test database is gone: nothing to seed.
    """
    result = yield
    if nextitem is not None and flushes_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            seed_catalogues()
    return result


@pytest.fixture
def demo(browser, live_server, seeded) -> str:
    """The demo data behind a live server; returns its base URL.

    Browser tests run with transaction=True: the server thread must see the data.
    """
    call_command("demo", password=DEMO_PASSWORD, stdout=StringIO())
    return live_server.url


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
