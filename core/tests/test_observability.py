"""Request ids, log formats, the slow-request log, /readyz/, /metrics, error mails, Sentry.

The servers are real: Redis on 127.0.0.1:6379 for the ready path (skipped
without it locally; CI requires it), a port nobody listens on for Redis that
is down, the SMTP server of tests/smtp.py for the error mails, a little HTTP
server for Sentry's reports. gunicorn with several workers is in
test_observability_server.py.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from core.observability import JsonFormatter, RequestIdFilter, current_request_id
from core.tests import observability_urls
from kamteam.observability_settings import NO_PERSONAL_DATA, sentry_privacy
from tests.smtp import SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
NEW_ID = re.compile(r"[0-9a-f]{32}")
TOKEN = "metrics-token-for-the-tests-0123456789"
LIVE_REDIS = os.environ.get("KAMTEAM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def urls(settings) -> None:
    settings.ROOT_URLCONF = "core.tests.observability_urls"


@pytest.fixture
def request_ids(caplog) -> pytest.LogCaptureFixture:
    """caplog, whose records get request_id as the console handler's do."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO)
    return caplog


# The request id ------------------------------------------------------------


def test_every_answer_carries_a_new_request_id(db: None) -> None:
    first = Client().get("/healthz/")["X-Request-ID"]
    second = Client().get("/login/")["X-Request-ID"]
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second)
    assert first != second


def test_a_redirect_carries_the_request_id_too(db: None) -> None:
    response = Client().get("/")  # anonymous: to the login page
    assert response.status_code == 302
    assert NEW_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.parametrize(
    "incoming", ["3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "0123456789abcdef0123456789abcdef"]
)
def test_a_sane_incoming_request_id_is_kept(db: None, incoming: str) -> None:
    response = Client().get("/healthz/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["", "short", "x" * 65, "has spaces in it", "line\r\nX-Evil: 1", '"quoted-id-123"', "-leading"],
)
def test_an_odd_incoming_request_id_is_replaced(db: None, incoming: str) -> None:
    response = Client().get("/healthz/", HTTP_X_REQUEST_ID=incoming)
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_log_lines_of_a_request_carry_its_id(db: None, urls: None, request_ids) -> None:
    response = Client().get("/obs/logs/")
    mine = [r for r in request_ids.records if r.name == observability_urls.__name__]
    assert [r.getMessage() for r in mine] == ["inside the request", "with a traceback"]
    assert {r.request_id for r in mine} == {response["X-Request-ID"]}

    logging.getLogger(observability_urls.__name__).info("after the request")
    assert request_ids.records[-1].request_id == "-"


def test_json_lines_parse_and_carry_the_request_id(db: None, urls: None) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    source = logging.getLogger(observability_urls.__name__)
    source.addHandler(handler)
    try:
        response = Client().get("/obs/logs/")
    finally:
        source.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["inside the request", "with a traceback"]
    for line in lines:
        assert line["request_id"] == response["X-Request-ID"]
        assert line["level"] == "INFO" if "inside" in line["message"] else "ERROR"
        assert line["logger"] == observability_urls.__name__
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert "exception" not in lines[0]
    assert "ValueError: something to report" in lines[1]["exception"]


def _console_line(**env: str) -> str:
    """What kamteam's console handler writes for one warning, with these settings."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "import logging; logging.getLogger('kamteam.try').warning('hello \"there\"')"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "kamteam.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    [line] = [line for line in result.stderr.splitlines() if "kamteam.try" in line]
    return line


def test_log_format_json_makes_the_console_write_json_lines() -> None:
    line = json.loads(_console_line(LOG_FORMAT="json"))
    assert line["message"] == 'hello "there"'
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "kamteam.try", "-")


def test_the_console_writes_plain_text_with_the_request_id_by_default() -> None:
    line = _console_line(LOG_FORMAT="")
    assert line.endswith(' WARNING [-] kamteam.try: hello "there"')


def test_a_task_logs_with_its_own_id_and_the_request_names_it(
    db: None, urls: None, request_ids
) -> None:
    # Outside a request (the worker): the task's lines carry "task-<id>".
    result = observability_urls.note_in_worker.enqueue()
    [line] = [r for r in request_ids.records if r.getMessage() == "inside the task"]
    assert line.request_id == f"task-{result.id}"
    assert current_request_id() == "-"

    # Queued by a request: the request logs the task's id. (The immediate
    # backend of the tests runs it at once, inside the request.)
    request_ids.clear()
    response = Client().get("/obs/task/")
    [queued] = [r for r in request_ids.records if r.name == "core.observability"]
    assert re.fullmatch(r"Task \S+ queued: .*note_in_worker", queued.getMessage())
    assert queued.request_id == response["X-Request-ID"]


# The slow-request log ------------------------------------------------------


def _slow_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "kamteam.slow_requests"]


def test_a_slow_request_is_logged_without_its_query_string(
    db: None, urls: None, settings, request_ids
) -> None:
    settings.SLOW_REQUEST_MS = 10  # the view sleeps 50 ms
    response = Client().get("/obs/slow/?q=Personal+Search+Words")
    [line] = _slow_lines(request_ids)
    assert line.levelname == "WARNING"
    assert line.getMessage().startswith("Slow request: GET /obs/slow/ 200 in ")
    assert line.getMessage().endswith(" ms (user -, 2 SQL queries)")
    assert "Personal" not in line.getMessage()
    assert line.duration_ms >= 50
    assert (line.path, line.status, line.queries, line.user_id) == ("/obs/slow/", 200, 2, None)
    assert line.request_id == response["X-Request-ID"]


def test_a_slow_request_names_the_signed_in_user(
    db: None, urls: None, settings, request_ids, django_user_model
) -> None:
    settings.SLOW_REQUEST_MS = 10
    user = django_user_model.objects.create_user("slowpoke", password="x")
    client = Client()
    client.force_login(user)
    client.get("/obs/slow/?who=me")
    [line] = _slow_lines(request_ids)
    assert line.user_id == user.pk
    assert f"(user {user.pk}, " in line.getMessage()


@pytest.mark.parametrize(("threshold", "path"), [(60_000, "/obs/slow/"), (0, "/obs/slow/")])
def test_a_request_under_the_threshold_or_with_the_log_off_is_not_logged(
    db: None, urls: None, settings, request_ids, threshold: int, path: str
) -> None:
    settings.SLOW_REQUEST_MS = threshold
    assert Client().get(path).status_code == 200
    assert _slow_lines(request_ids) == []


def test_health_checks_are_never_logged_as_slow(
    db: None, urls: None, settings, request_ids
) -> None:
    settings.SLOW_REQUEST_MS = 10
    assert Client().get("/obs/slow-probe/").status_code == 200  # sleeps 50 ms, marked @probe
    assert _slow_lines(request_ids) == []


# /readyz/ ----------------------------------------------------------------------


def test_readyz_is_ready_when_the_database_answers_and_no_redis_is_set(db: None, settings) -> None:
    settings.REDIS_URL = ""
    response = Client().get("/readyz/")
    assert (response.status_code, response.content) == (200, b"ready")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_redis_when_it_does_not_answer(db: None, settings) -> None:
    settings.REDIS_URL = f"redis://:s3cret-pass@127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    response = Client().get("/readyz/")
    assert (response.status_code, response.content) == (503, b"redis unavailable")
    assert time.monotonic() - started < 3  # the short timeout, not the kernel's


def test_readyz_is_ready_with_a_redis_that_answers(db: None, settings) -> None:
    _require_redis()
    settings.REDIS_URL = LIVE_REDIS
    response = Client().get("/readyz/")
    assert (response.status_code, response.content) == (200, b"ready")


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("KAMTEAM_REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {LIVE_REDIS} (CI sets KAMTEAM_REQUIRE_REDIS=1)")


@pytest.mark.parametrize("path", ["/healthz/", "/readyz/"])
def test_health_checks_answer_plain_http_without_a_redirect(db: None, settings, path: str) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    assert Client().get(path).status_code == 200
    assert Client().get("/login/").status_code == 301  # the rest is redirected
    assert Client().get("/metrics").status_code == 301  # a token never travels in clear


# /metrics ------------------------------------------------------------------------


def test_metrics_do_not_exist_without_a_token(db: None, settings) -> None:
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_need_the_token(db: None, settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    missing = Client().get("/metrics")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Basic eDp5").status_code == 401
    for wrong in (TOKEN[:-1], TOKEN + "x", "x"):
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {wrong}")
        assert response.status_code == 403
        assert b"django_http" not in response.content


def test_metrics_count_requests_by_view_and_sql_queries(db: None, settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    Client().get("/healthz/")  # one view, one query
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "django_http_requests_total" in body
    assert re.search(
        r'django_http_requests_total_by_view_transport_method_total\{[^}]*view="healthz"', body
    )
    executed = rf'django_db_execute_total\{{alias="default",vendor="{connection.vendor}"\}} [1-9]'
    assert re.search(executed, body)


# Error mails to ADMINS ------------------------------------------------------------


def test_a_server_error_mails_admins_once_without_personal_data_in_the_subject(
    db: None, urls: None, settings, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    settings.ADMINS = [("Ops", "ops@example.com")]
    settings.SERVER_EMAIL = "kamteam errors <errors@example.com>"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(raise_request_exception=False).get(
            "/obs/people/jane.doe/boom/?q=secret", HTTP_X_REQUEST_ID="req-0123456789abcdef"
        )
    assert response.status_code == 500
    [mail] = smtp_server.wait_for(1)
    time.sleep(0.3)
    assert len(smtp_server.messages) == 1
    assert mail["To"] == "ops@example.com"
    assert mail["From"] == "kamteam errors <errors@example.com>"
    subject = mail["Subject"]
    assert subject == "[kamteam] ERROR 500 RuntimeError in obs_boom (request req-0123456789abcdef)"
    text = mail.get_body(("plain",)).get_content()
    assert "req-0123456789abcdef" in text
    assert "RuntimeError" in text and "failed for jane.doe" in text  # the body is the report


def test_no_admins_no_error_mail(
    db: None, urls: None, settings, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    settings.ADMINS = []
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(raise_request_exception=False).get("/obs/people/x/boom/")
    assert response.status_code == 500
    time.sleep(0.3)
    assert smtp_server.messages == []


@pytest.fixture
def silent_relay(settings) -> Iterator[socket.socket]:
    """A relay that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield listener


def test_a_silent_relay_does_not_hold_the_error_page(
    db: None, urls: None, settings, silent_relay, django_capture_on_commit_callbacks
) -> None:
    # The database queue of production: the request only queues the report.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ADMINS = [("Ops", "ops@example.com")]
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(raise_request_exception=False).get("/obs/people/x/boom/")
    assert response.status_code == 500
    assert time.monotonic() - started < 3  # Django's own handler would wait 10 s
    [queued] = DBTaskResult.objects.filter(task_path="core.mail.deliver")
    message = queued.task_result.kwargs["message"]
    assert message["to"] == ["ops@example.com"]
    assert message["subject"].startswith("[kamteam] ERROR 500 RuntimeError")


# Sentry ----------------------------------------------------------------------------


class _SentryInbox(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:  # http.server's name for it
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        _SentryInbox.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _shell(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "kamteam.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sentry_gets_errors_without_personal_data_when_a_dsn_is_set(tmp_path: Path) -> None:
    pytest.importorskip("sentry_sdk")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryInbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SentryInbox.received = []
    try:
        result = _shell(
            # A request that fails (the test URLconf's boom view), with a cookie.
            "import sentry_sdk\n"
            "from django.test import Client, override_settings\n"
            "client = sentry_sdk.get_client()\n"
            "options = client.options\n"
            "print(sorted(client.integrations), options.get('send_default_pii',\n"
            "      (options.get('data_collection') or {}).get('user_info')))\n"
            "browser = Client(raise_request_exception=False, SERVER_NAME='localhost')\n"
            "browser.cookies['csrftoken'] = 'the-csrf-cookie-0123456789abcdef'\n"
            "with override_settings(ROOT_URLCONF='core.tests.observability_urls'):\n"
            "    answer = browser.get('/obs/people/jane.doe/boom/?q=secret',\n"
            "                         HTTP_X_REQUEST_ID='req-sentry-0123456789')\n"
            "print(answer.status_code)\n"
            "sentry_sdk.flush(5)\n",
            DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            SENTRY_DSN=f"http://public@127.0.0.1:{server.server_port}/1",
            SENTRY_ENVIRONMENT="staging",
            SENTRY_RELEASE="kamteam@1.2.3",
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "'django'" in result.stdout and " False\n500" in result.stdout, result.stdout
    events = [
        json.loads(line)
        for body in _SentryInbox.received
        for line in body.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    [event] = events  # the error once, though Django also logs it
    assert (event["environment"], event["release"]) == ("staging", "kamteam@1.2.3")
    assert event["exception"]["values"][0]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "req-sentry-0123456789"
    assert "user" not in event
    # (The shell command's own text, with the cookie in it, is in "extra": sys.argv.)
    sent = json.dumps({k: v for k, v in event.items() if k != "extra"})
    assert "the-csrf-cookie" not in sent
    assert "127.0.0.1" not in json.dumps(event.get("request", {}))  # no client address
    assert "X-Forwarded-For" not in sent


@pytest.mark.parametrize(
    ("version", "privacy"),
    [
        ("2.76.0", {"send_default_pii": False}),
        # 3 removed send_default_pii and collects by default: every kind is off.
        ("3.0.0", {"data_collection": NO_PERSONAL_DATA}),
        ("3.1.2", {"data_collection": NO_PERSONAL_DATA}),
    ],
)
def test_sentry_is_told_to_keep_personal_data_in_the_words_of_its_version(
    version: str, privacy: dict
) -> None:
    assert sentry_privacy(version) == privacy
    assert NO_PERSONAL_DATA["user_info"] is False
    assert NO_PERSONAL_DATA["http_bodies"] == []
    for kind in ("cookies", "url_query_params"):
        assert NO_PERSONAL_DATA[kind] == {"mode": "off"}
    assert NO_PERSONAL_DATA["http_headers"] == {"request": {"mode": "off"}}


def test_a_dsn_without_sentry_sdk_stops_the_start_with_a_clear_message() -> None:
    result = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.modules['sentry_sdk'] = None\n"
         "import django; django.setup()"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "kamteam.settings",
             "SENTRY_DSN": "http://public@127.0.0.1:9/1"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured: SENTRY_DSN is set, but sentry-sdk is not installed" in (
        result.stderr
    )


# Settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLOW_REQUEST_MS": "-1"}, "SLOW_REQUEST_MS must be 0 (off) or more"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN must be 20 characters or more"),
        ({"PROMETHEUS_MULTIPROC_DIR": "/no/such/folder"}, "PROMETHEUS_MULTIPROC_DIR must be"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of text, json"),
        ({"ADMINS": "Ops <ops at example.com>"}, "ADMINS must list e-mail addresses"),
    ],
)
def test_bad_observability_settings_stop_the_start(env: dict[str, str], message: str) -> None:
    result = _shell("from django.conf import settings; settings.DEBUG", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_admins_are_read_as_names_and_addresses() -> None:
    result = _shell(
        "from django.conf import settings; print(settings.ADMINS)",
        ADMINS="Ada Admin <ada@example.com>, ops@example.com",
    )
    assert result.stdout.strip() == (
        "[('Ada Admin', 'ada@example.com'), ('ops@example.com', 'ops@example.com')]"
    )
