"""Two app servers on one PostgreSQL and one Redis (README, "Several app servers").

Two gunicorn instances A and B run kamteam with production settings (DEBUG
off, whitenoise's manifest; plain HTTP on loopback, as bench/common.py
runs them) on different ports, against one freshly migrated PostgreSQL
database of this module's own and one Redis (REDIS_URL, nothing else: the
fragment cache and the task queue follow it). A `requests` session plays the
browser, and a load balancer that sends it now to A, now to B. The test
process seeds the database through the ORM.

The Redis is a redis-server of this module's own on a free port
(tests/redis_server.py), not the 127.0.0.1:6379 other tests share: the last
test kills it to see the pages render without it, and starts it again. The
module needs PostgreSQL (the CI database) and is skipped on SQLite; without
redis-server it is skipped, or fails with KAMTEAM_REQUIRE_REDIS=1 (CI).
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from bench.common import app_env
from bench.soaking.writer import FormParser
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.redis_server import RedisServer
from tests.smtp import SmtpServer, free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "two-servers-pass-1"
SLUG = "nordwind"
OVERVIEW = f"/accounts/{SLUG}/"
REDIS_DB = 1  # not 0: the database number in REDIS_URL must be honoured by cache and queue
FRAGMENT_KEYS = "kamteam:1:fragment2:*"  # KEY_PREFIX, version, core.fragments' prefix
# As deploy/systemd/kamteam-worker.service runs it with REDIS_URL.
RQ_WORKER = [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job"]


class AppServer:
    """`gunicorn kamteam.wsgi` on 127.0.0.1:<free port>, one worker (bench/common.py's way)."""

    def __init__(self, name: str, env: dict[str, str], folder: Path) -> None:
        self.name, self.env = name, env
        self.port = free_port()
        self.log = folder / f"gunicorn-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "kamteam.wsgi"),
                    *("--bind", f"127.0.0.1:{self.port}", "--workers", "1"),
                    *("--timeout", "30", "--graceful-timeout", "5"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_healthy(self, timeout: float = 30) -> None:
        def healthy() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn {self.name} exited:\n{self.log.read_text()}")
            try:
                return requests.get(self.base + "/healthz/", timeout=2).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                # Not up yet, or its first answer still on the way (a worker
                # that has just booted): ask again until the deadline.
                return False

        _until(healthy, timeout, f"gunicorn {self.name} healthy")

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Cluster:
    a: AppServer
    b: AppServer
    redis: RedisServer
    smtp: SmtpServer
    env: dict[str, str]
    folder: Path

    def fragment_keys(self) -> list[bytes]:
        return sorted(self.redis.client(REDIS_DB).keys(FRAGMENT_KEYS))


def _until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _run(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 180) -> None:
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    assert process.returncode == 0, f"{process.args}:\n{output}"


def _server_connection(database: str) -> psycopg2.extensions.connection:
    """A connection to `database` on the server of the test database, in autocommit."""
    settings = connection.settings_dict
    link = psycopg2.connect(
        dbname=database,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    link.autocommit = True
    return link


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    host = settings["HOST"] or "localhost"
    return f"postgres://{user}:{password}@{host}:{settings['PORT'] or 5432}/{quote(name)}"


def _recreate(name: str, *, drop_only: bool = False) -> None:
    link = _server_connection("postgres")
    try:
        with link.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        link.close()


def _seed(name: str) -> None:
    """The account's lead and a colleague, written through the ORM into database `name`."""
    # Production's hasher: the test settings' MD5 is unknown to the servers.
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    settings = connection.settings_dict
    test_database = settings["NAME"]
    connection.close()
    settings["NAME"] = name
    try:
        katrin = UserFactory(username="katrin", password=None)
        otto = UserFactory(username="otto", password=None)
        type(katrin).objects.filter(pk__in=[katrin.pk, otto.pk]).update(password=password)
        account = KeyAccountFactory(name="Nordwind AG", slug=SLUG, industry="Machinery")
        TeamMemberFactory(account=account, user=katrin, role=role("gkam"))
    finally:
        connection.close()
        settings["NAME"] = test_database


@pytest.fixture(scope="module")
def cluster(
    django_db_setup: None, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share a PostgreSQL: run with DATABASE_URL=postgres://...")
    folder = tmp_path_factory.mktemp("two-app-servers")
    redis = RedisServer(folder / "redis")
    smtp = SmtpServer()
    database = f"{connection.settings_dict['NAME']}_servers"[:63]
    env = app_env(_database_url(database), str(folder / "static"), secrets.token_urlsafe(50))
    env.pop("KAMTEAM_TASKS", None)  # REDIS_URL alone must bring the task queue along
    env |= {"REDIS_URL": redis.url(REDIS_DB), "LOG_LEVEL": "INFO", **smtp.environment()}
    servers = [AppServer("a", env, folder), AppServer("b", env, folder)]
    with ExitStack() as running:  # stops what started, in reverse order, whatever failed
        with django_db_blocker.unblock():
            _recreate(database)
        running.callback(_drop, database, django_db_blocker)
        redis.start()
        running.callback(redis.stop)
        smtp.start()
        running.callback(smtp.stop)
        migrate, static = (
            _run(["migrate", "--noinput", "-v", "0"], env),
            _run(["collectstatic", "--noinput", "-v", "0"], env),
        )
        _finish(migrate)
        _finish(static)
        with django_db_blocker.unblock():
            _seed(database)
        for server in servers:
            server.start()
            running.callback(server.stop)
        for server in servers:
            server.wait_healthy()
        yield Cluster(servers[0], servers[1], redis, smtp, env, folder)


def _drop(database: str, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        _recreate(database, drop_only=True)


def _form(browser: requests.Session, url: str, must_have: str) -> list[tuple[str, str]]:
    """The fields of the page's POST form holding `must_have`, as a browser would send them."""
    response = browser.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    parser = FormParser()
    parser.feed(response.text)
    for form in parser.forms:
        if any(name == must_have for name, _value in form["fields"]):
            return [(name, value) for name, value in form["fields"]]
    raise AssertionError(f"no form with {must_have} on {url}")


def _login(
    server: AppServer, username: str, password: str = PASSWORD
) -> tuple[requests.Session, requests.Response]:
    """A new browser that sent the login form to `server`, and the answer."""
    browser = requests.Session()
    fields = dict(_form(browser, server.base + "/login/", "password"))
    fields |= {"username": username, "password": password}
    response = browser.post(server.base + "/login/", fields, allow_redirects=False, timeout=30)
    return browser, response


def _logged_in(server: AppServer) -> requests.Session:
    browser, response = _login(server, "katrin")
    assert response.status_code == 302, response.text[:500]
    return browser


def _set_industry(browser: requests.Session, server: AppServer, industry: str) -> None:
    """Edit the account through `server` as the page's script would send the form."""
    url = f"{server.base}/accounts/{SLUG}/edit/"
    fields = [(k, v) for k, v in _form(browser, url, "industry") if k != "industry"]
    # A one-time form token, as static/js/kamteam.js adds: the claim goes through the cache.
    fields += [("industry", industry), ("_form_token", uuid.uuid4().hex)]
    response = browser.post(url, fields, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:2000]


def _overview(browser: requests.Session, server: AppServer) -> str:
    response = browser.get(server.base + OVERVIEW, allow_redirects=False, timeout=30)
    assert response.status_code == 200, (server.name, response.status_code)
    return response.text


def test_a_session_from_one_server_works_on_the_other(cluster: Cluster) -> None:
    browser_a = _logged_in(cluster.a)
    browser_b = requests.Session()  # another browser, with nothing but A's session cookie
    browser_b.cookies.set("sessionid", browser_a.cookies["sessionid"])
    response = browser_b.get(cluster.b.base + OVERVIEW, allow_redirects=False, timeout=30)
    assert response.status_code == 200
    assert "Nordwind AG" in response.text
    anonymous = requests.get(cluster.b.base + OVERVIEW, allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "/login/" in anonymous.headers["Location"]


def test_a_change_through_one_server_shows_at_once_through_the_other(cluster: Cluster) -> None:
    browser = _logged_in(cluster.a)
    _set_industry(browser, cluster.a, "Machinery")
    assert "Machinery" in _overview(browser, cluster.a)
    # A stored the fragment in the shared Redis; mark it there, and B serves it.
    redis_keys = cluster.fragment_keys()
    assert redis_keys, "A cached nothing in Redis"
    shared = RedisCache(cluster.redis.url(REDIS_DB), {"KEY_PREFIX": "kamteam"})
    marked = 0
    for raw in redis_keys:
        name = raw.decode().removeprefix("kamteam:1:")
        html = shared.get(name)
        if isinstance(html, str) and "Machinery" in html:
            shared.set(name, html + "<p>rendered-by-A</p>", 300)
            marked += 1
    assert marked, "no cached fragment shows the account"
    assert "rendered-by-A" in _overview(browser, cluster.b)

    _set_industry(browser, cluster.a, "Shipbuilding")
    seen_by_b = _overview(browser, cluster.b)
    assert "Shipbuilding" in seen_by_b
    assert "rendered-by-A" not in seen_by_b and "Machinery" not in seen_by_b


def test_a_lockout_on_one_server_holds_on_the_other(cluster: Cluster) -> None:
    for _attempt in range(5):  # AXES_FAILURE_LIMIT
        _browser, failed = _login(cluster.a, "otto", "wrong-password")
        assert failed.status_code in (200, 429)  # the fifth failure is answered with the lockout
    _browser, refused = _login(cluster.b, "otto")  # the right password, where nothing failed
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.text


def test_a_task_queued_through_one_server_is_run_by_a_worker(cluster: Cluster) -> None:
    browser = requests.Session()
    url = cluster.a.base + "/password-reset/"
    fields = [(k, v) for k, v in _form(browser, url, "email") if k != "email"]
    response = browser.post(
        url, [*fields, ("email", "katrin@example.com")], allow_redirects=False, timeout=30
    )
    assert response.status_code == 302, response.text[:2000]
    queue = cluster.redis.client(REDIS_DB)
    assert queue.llen("rq:queue:default") == 1  # waiting in Redis, not sent by A
    worker_log = cluster.folder / "rqworker.log"
    with worker_log.open("wb") as log:
        worker = subprocess.Popen(
            [*RQ_WORKER, "--burst", "default"],  # burst: work off the queue, then exit
            cwd=ROOT,
            env=cluster.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # The mail is the proof; the worker is stopped afterwards rather than awaited:
    # in CI a burst worker now and then did not exit after its work was done (see
    # core/tests/test_tasks.py).
    try:
        [message] = cluster.smtp.wait_for(1, timeout=60)
    except AssertionError as error:
        raise AssertionError(f"{error}; worker output:\n{worker_log.read_text()}") from error
    finally:
        _stop(worker)
    assert message["To"] == "katrin@example.com"
    assert "/reset/" in message.get_body(("plain",)).get_content()


def test_pages_render_without_redis_and_cache_again_when_it_returns(cluster: Cluster) -> None:
    browser = _logged_in(cluster.b)
    cluster.redis.stop()
    try:
        for server in (cluster.a, cluster.b):
            assert "Nordwind AG" in _overview(browser, server)
        # Forms too: the one-time token's claim in Redis cannot be made, and is not needed.
        _set_industry(browser, cluster.a, "Logistics")
        assert "Logistics" in _overview(browser, cluster.b)
        # A page that queues a task: the queue is down, the request's work stands.
        reset = requests.Session()
        url = cluster.b.base + "/password-reset/"
        fields = [(k, v) for k, v in _form(reset, url, "email") if k != "email"]
        answer = reset.post(url, [*fields, ("email", "katrin@example.com")], timeout=30)
        assert answer.status_code == 200 and answer.url.endswith("/password-reset/done/")
    finally:
        cluster.redis.start()
    assert "Redis cache at" in cluster.a.log.read_text()  # the warning in the server's log

    def cached_through(server: AppServer, page: str) -> Callable[[], bool]:
        def check() -> bool:
            before = len(cluster.fragment_keys())
            response = browser.get(server.base + page, allow_redirects=False, timeout=30)
            assert response.status_code == 200
            return len(cluster.fragment_keys()) > before

        return check

    # The servers leave a failed Redis alone for core.cache.PAUSE_SECONDS, then use it again.
    _until(cached_through(cluster.a, OVERVIEW), 20, "A caches in Redis again")
    _until(cached_through(cluster.b, f"/accounts/{SLUG}/team/"), 20, "B caches in Redis again")
    assert "Logistics" in _overview(browser, cluster.b)
