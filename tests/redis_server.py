"""A Redis of a test's own: redis-server on a free loopback port, nothing written to disk.

A test that stops Redis to see kamteam cope must not stop the one other
tests share (127.0.0.1:6379), so it starts its own with `RedisServer` and
stops and starts it again at will; the port stays the same, as a Redis
restarted in production keeps its address. Without the redis-server
program the test is skipped, unless KAMTEAM_REQUIRE_REDIS=1 (CI) makes it
fail: `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.smtp import free_port


def redis_server_program() -> str:
    """The path of redis-server; skips the test without one (fails in CI)."""
    program = shutil.which("redis-server")
    if program is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("KAMTEAM_REQUIRE_REDIS"):
            pytest.fail(f"{reason}; KAMTEAM_REQUIRE_REDIS=1 asks for the Redis tests")
        pytest.skip(f"{reason}; CI sets KAMTEAM_REQUIRE_REDIS=1 and runs it")
    return program


class RedisServer:
    """redis-server on 127.0.0.1:`port` in the foreground, its log in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.program = redis_server_program()
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_timeout=5, socket_connect_timeout=5)

    def start(self, timeout: float = 10) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.program,
                    *("--bind", "127.0.0.1", "--port", str(self.port)),
                    *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(
                    f"redis-server did not answer on port {self.port} within {timeout} s:\n"
                    + (self.folder / "redis.log").read_text(errors="replace")
                )
            time.sleep(0.05)

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.exceptions.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Kill it at once (SIGKILL, as a crash would); its data is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
