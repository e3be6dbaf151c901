"""A mail task through both task backends, run by a real worker process.

Database backend: `manage.py db_worker` in a subprocess works on the test
database (a transactional test, so the worker sees the committed rows; on
SQLite the in-memory test database is copied to a file both processes open).
RQ backend: `manage.py rqworker` against Redis on 127.0.0.1:6379, on a queue
of this test's own. Both send to the test's SMTP server (tests/smtp.py).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import mail
from tests.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("KAMTEAM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MESSAGE = {
    "to": ["carla@example.com"],
    "subject": "Sent by the worker",
    "template": "email/test_mail",
    "context": {},
    "language": "de",
}


@pytest.fixture
def worker_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL at which another process finds the test database."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings_dict["USER"] or "", safe="")
        password = quote(settings_dict["PASSWORD"] or "", safe="")
        host = settings_dict["HOST"] or "localhost"
        yield f"postgres://{user}:{password}@{host}:{settings_dict['PORT'] or 5432}/" + quote(
            settings_dict["NAME"]
        )
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{settings_dict['NAME']}"
        return
    # Another process cannot open an in-memory database: both use a copy in a
    # file for this test, and the in-memory one comes back afterwards.
    path = tmp_path / "tasks.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    memory, name = connection.connection, settings_dict["NAME"]
    connection.connection, settings_dict["NAME"] = None, str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.connection, settings_dict["NAME"] = memory, name


def _start(command: list[str], environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "core.tests.worker_settings", **environment}
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _stop(worker: subprocess.Popen[bytes]) -> int:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        return worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.wait()


def _until(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(0.1)


def _assert_delivered(smtp_server: SmtpServer, log: Path) -> None:
    try:
        [message] = smtp_server.wait_for(1)
    except AssertionError as error:
        raise AssertionError(f"{error}; worker output:\n{log.read_text()}") from error
    assert message["To"] == "carla@example.com"
    assert message["Subject"] == "Sent by the worker"
    assert message["Content-Language"] == "de"
    assert message.get_body(("html",)) is not None


def test_the_database_worker_sends_a_queued_mail(
    worker_database: str, smtp_server: SmtpServer, settings, tmp_path: Path
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    log = tmp_path / "db_worker.log"
    worker = _start(
        ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        {"KAMTEAM_TASKS": "database", "DATABASE_URL": worker_database} | smtp_server.environment(),
        log,
    )
    try:
        mail.send_later(**MESSAGE)  # no transaction open: enqueued at once
        _assert_delivered(smtp_server, log)
        _until(lambda: DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL)
        result = DBTaskResult.objects.get()
        assert result.task_path == "core.mail.deliver"
        assert result.return_value == 1 and len(result.worker_ids) == 1
    finally:
        code = _stop(worker)
    assert code == 0, log.read_text()  # SIGTERM ends it cleanly


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("KAMTEAM_REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (CI sets KAMTEAM_REQUIRE_REDIS=1)")
    return client


@pytest.fixture
def rq_queue(settings) -> Iterator[str]:
    """A queue of this test's own on the local Redis, emptied afterwards."""
    import django_rq

    client = _redis()
    queue = f"kamteam-test-{uuid.uuid4().hex}"
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL} for name in ("default", queue)}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", queue]}
    }
    try:
        yield queue
    finally:
        django_rq.get_queue(queue).delete(delete_jobs=True)
        # Its registries (finished, failed, ...); the jobs themselves expire by their TTL.
        for key in client.scan_iter(match=f"rq:*{queue}*"):
            client.delete(key)
        client.close()


@pytest.mark.django_db
def test_the_rq_worker_sends_a_queued_mail(
    rq_queue: str, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    queued = mail.deliver.using(queue_name=rq_queue).enqueue(message=MESSAGE)
    assert queued.status == TaskResultStatus.READY and smtp_server.messages == []
    log = tmp_path / "rqworker.log"
    # --burst: the worker works off its queue and would then exit by itself. In CI
    # a burst worker now and then did not exit after its work was done (RQ 3.0,
    # forking or not; not reproduced alone or under CPU load). The test is about
    # the task: it waits for the mail and the stored result, then stops the worker.
    worker = _start(
        ["rqworker", "--job-class", "django_tasks_rq.Job", "--burst", rq_queue],
        {"KAMTEAM_TASKS": "redis", "REDIS_URL": REDIS_URL, "KAMTEAM_TEST_QUEUE": rq_queue}
        | smtp_server.environment(),
        log,
    )
    try:
        _assert_delivered(smtp_server, log)
        _until(
            lambda: mail.deliver.get_result(queued.id).status == TaskResultStatus.SUCCESSFUL,
            timeout=60,
        )
    finally:
        _stop(worker)
    result = mail.deliver.get_result(queued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL, log.read_text()
    assert result.return_value == 1
