"""core.cache.ForgivingRedisCache against a real Redis of the test's own, up and down,
and the settings that choose it (REDIS_URL)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import cache as forgiving
from core.cache import ForgivingRedisCache
from tests.redis_server import RedisServer
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _cache(server: RedisServer) -> ForgivingRedisCache:
    return ForgivingRedisCache(server.url(), {"KEY_PREFIX": "kamteam"})


def test_a_live_redis_is_an_ordinary_cache(redis_server: RedisServer) -> None:
    cache = _cache(redis_server)
    cache.set("fragment", "<p>html</p>", 60)
    assert cache.get("fragment") == "<p>html</p>"
    assert cache.add("claim", 1, 60) is True
    assert cache.add("claim", 1, 60) is False  # taken: the form guard's "already sent"
    assert cache.incr("claim") == 2
    with pytest.raises(ValueError):
        cache.incr("never-set")
    assert cache.get_many(["fragment", "claim", "none"]) == {"fragment": "<p>html</p>", "claim": 2}
    assert cache.delete("fragment") is True and cache.get("fragment") is None
    assert redis_server.client().exists("kamteam:1:claim")  # KEY_PREFIX in Redis


def test_clear_keeps_the_task_queue_in_the_same_database(redis_server: RedisServer) -> None:
    cache = _cache(redis_server)
    cache.set_many({f"fragment{n}": n for n in range(1200)}, 60)  # more than one SCAN batch
    redis = redis_server.client()
    redis.rpush("rq:queue:default", "a queued job")
    assert cache.clear() is True
    assert cache.get("fragment7") is None
    assert redis.keys("kamteam:*") == []
    assert redis.lrange("rq:queue:default", 0, -1) == [b"a queued job"]


def test_a_dead_redis_reads_as_an_empty_cache_and_is_logged_once(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    cache = _cache(redis_server)
    cache.set("fragment", "<p>html</p>", 60)
    redis_server.stop()
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="core.cache"):
        assert cache.get("fragment") is None
        assert cache.get("fragment", "default") == "default"
        assert cache.get_many(["fragment"]) == {}
        assert cache.has_key("fragment") is False
        assert cache.set("fragment", "x", 60) is None
        assert cache.set_many({"a": 1, "b": 2}, 60) == ["a", "b"]
        # A claim that cannot be kept is no claim by someone else: the form goes through.
        assert cache.add("claim", 1, 60) is True
        with pytest.raises(ValueError):  # as for a missing key: the caller counts afresh
            cache.incr("claim")
        assert cache.touch("fragment", 60) is False
        assert cache.delete("fragment") is False
        assert cache.delete_many(["a", "b"]) is None
        assert cache.clear() is False
    assert time.monotonic() - started < 2  # no call waits for a timeout of its own
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.text
    assert "failed" in warnings[0].getMessage()


def test_the_warning_names_redis_without_its_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()  # nobody listens there
    cache = ForgivingRedisCache(f"redis://kamteam:s3cret-word@127.0.0.1:{port}/3", {})
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("fragment") is None
    assert f"redis://127.0.0.1:{port}/3" in caplog.text
    assert "s3cret-word" not in caplog.text


def test_a_silent_redis_costs_one_short_timeout_not_one_per_call() -> None:
    """A Redis host that takes connections and never answers (a hung server, a full disk)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel accepts; nobody ever reads or writes
        cache = ForgivingRedisCache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", {})
        started = time.monotonic()
        for n in range(20):  # a page's worth of fragments
            assert cache.get(f"fragment{n}") is None
        elapsed = time.monotonic() - started
    assert forgiving.SOCKET_TIMEOUT <= elapsed < 3 * forgiving.SOCKET_TIMEOUT


def test_the_cache_works_again_once_redis_answers(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forgiving, "PAUSE_SECONDS", 0.2)
    cache = _cache(redis_server)
    cache.set("fragment", "<p>before</p>", 60)
    redis_server.stop()
    with caplog.at_level(logging.INFO, logger="core.cache"):
        assert cache.get("fragment") is None
        redis_server.start()
        assert cache.get("fragment") is None  # paused: Redis is not asked yet
        time.sleep(0.3)
        cache.set("fragment", "<p>after</p>", 60)
        assert cache.get("fragment") == "<p>after</p>"
    assert "answers again" in caplog.text
    assert redis_server.client().get("kamteam:1:fragment") is not None


def _settings(**environment: str) -> subprocess.CompletedProcess[str]:
    """kamteam.settings read in a fresh process with production's environment and `environment`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "REDIS_URL", "KAMTEAM_TASKS", "DB_DISABLE_SERVER_SIDE_CURSORS"}
    }
    env |= {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "kamteam.example.com", **environment}
    show = (
        "import json, kamteam.settings as s; print(json.dumps([s.CACHES['default'], "
        "s.KAMTEAM_TASKS, s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'], "
        "s.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS']]))"
    )
    return subprocess.run(
        [sys.executable, "-c", show], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_without_redis_url_everything_stays_on_one_machine() -> None:
    result = _settings()
    cache, tasks, backend, _queue, no_server_cursors = json.loads(result.stdout)
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (tasks, backend) == ("database", "django_tasks_db.DatabaseBackend")
    assert no_server_cursors is False


def test_redis_url_shares_cache_and_task_queue() -> None:
    url = "redis://redis.example.com:6379/2"
    result = _settings(REDIS_URL=url, DB_DISABLE_SERVER_SIDE_CURSORS="1")
    cache, tasks, backend, queue, no_server_cursors = json.loads(result.stdout)
    assert cache["BACKEND"] == "core.cache.ForgivingRedisCache"
    assert cache["LOCATION"] == url == queue
    assert (tasks, backend) == ("redis", "django_tasks_rq.RQBackend")
    assert no_server_cursors is True


def test_an_explicit_task_backend_wins_over_redis_url() -> None:
    result = _settings(REDIS_URL="redis://redis.example.com:6379/0", KAMTEAM_TASKS="database")
    cache, tasks, backend, _queue, _cursors = json.loads(result.stdout)
    assert cache["BACKEND"] == "core.cache.ForgivingRedisCache"
    assert (tasks, backend) == ("database", "django_tasks_db.DatabaseBackend")


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"KAMTEAM_TASKS": "redis"}, "KAMTEAM_TASKS=redis needs REDIS_URL"),
        ({"REDIS_URL": "redis.example.com:6379"}, "REDIS_URL must be a URL starting with"),
    ],
)
def test_a_redis_setting_that_cannot_work_stops_the_start(
    environment: dict[str, str], message: str
) -> None:
    result = _settings(**environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
