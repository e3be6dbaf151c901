"""Metrics, health and readiness under gunicorn with two workers, as production runs them.

One gunicorn (the production settings, DEBUG off) whose database is a
PostgreSQL port nobody listens on: the checks must say so, over plain HTTP,
while /metrics adds up the counts of every worker, including one that was
replaced, through PROMETHEUS_MULTIPROC_DIR and the hooks of core/metrics.py.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = secrets.token_urlsafe(32)
# The two lines deploy/gunicorn.conf.py needs for several workers' metrics.
HOOKS = "from core.metrics import child_exit, on_starting  # noqa: F401\n"


@dataclass
class Answer:
    status: int
    body: str
    location: str


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers=headers or {}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=10) as response:
                return Answer(response.status, response.read().decode(), "")
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), error.headers.get("Location", ""))

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def metrics(self) -> str:
        # As nginx passes it on: the scrape came over HTTPS.
        answer = self.get(
            "/metrics", {"Authorization": f"Bearer {TOKEN}", "X-Forwarded-Proto": "https"}
        )
        assert answer.status == 200, answer
        return answer.body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


def _environment(multiproc_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DEBUG", "REDIS_", "KAMTEAM_TASKS", "SECURE_", "SENTRY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kamteam.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="1",
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/gone",
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(multiproc_dir),
    )
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("gunicorn")
    multiproc_dir = folder / "metrics"
    multiproc_dir.mkdir()
    # A former run's file: on_starting must clear it, or it would spoil the sums.
    (multiproc_dir / "counter_4242.db").write_bytes(b"not a metrics file")
    conf = folder / "gunicorn.conf.py"
    conf.write_text(HOOKS)
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(conf), "kamteam.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5"],
            cwd=ROOT,
            env=_environment(multiproc_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = Server(process, port, log)
    try:
        _wait_until_up(running)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def _wait_until_up(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()
        try:
            if len(server.workers()) == 2 and server.get("/healthz/").status:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer:\n{server.log.read_text()}")


def test_health_and_readiness_say_the_database_is_gone_over_plain_http(server: Server) -> None:
    assert server.get("/healthz/") == Answer(503, "database unavailable", "")
    assert server.get("/readyz/") == Answer(503, "database unavailable", "")


def test_metrics_over_plain_http_are_sent_to_https_first(server: Server) -> None:
    answer = server.get("/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert answer.status == 301
    assert answer.location == f"https://127.0.0.1:{server.port}/metrics"


def _healthz_count(metrics: str) -> float:
    found = re.search(
        r'^django_http_requests_total_by_view_transport_method_total\{[^}]*view="healthz"[^}]*\} '
        r"(\S+)$",
        metrics,
        re.MULTILINE,
    )
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_every_worker_even_one_that_was_replaced(server: Server) -> None:
    before = _healthz_count(server.metrics())
    for _ in range(10):
        server.get("/healthz/")
    first_workers = server.workers()
    os.kill(min(first_workers), signal.SIGTERM)  # gunicorn starts another: child_exit runs
    deadline = time.monotonic() + 30
    while server.workers() & first_workers == first_workers or len(server.workers()) < 2:
        assert time.monotonic() < deadline, server.log.read_text()
        time.sleep(0.2)
    for _ in range(10):
        server.get("/healthz/")

    metrics = server.metrics()
    assert _healthz_count(metrics) == before + 20
    assert re.search(r"^django_db_new_connection_errors_total\{[^}]*\} [1-9]", metrics, re.M)
    assert "Traceback" not in server.log.read_text()


def test_gunicorn_start_makes_the_metrics_folder_or_empties_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.metrics import on_starting

    folder = tmp_path / "run" / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    on_starting(None)
    assert folder.is_dir()
    (folder / "counter_4242.db").write_bytes(b"a former run")
    (folder / "notes.txt").write_text("not ours")
    on_starting(None)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
