"""`make run` starts the task worker beside the server and never leaves it behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Stand-ins for runserver and db_worker: each notes its pid, then waits.
SLEEPER = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _pid(path: Path) -> int:
    deadline = time.monotonic() + 20
    while not (path.exists() and path.read_text()):
        assert time.monotonic() < deadline, f"{path.name} did not start"
        time.sleep(0.05)
    return int(path.read_text())


def _devserver(tmp_path: Path, server: str = SLEEPER) -> subprocess.Popen[str]:
    worker = [sys.executable, "-c", SLEEPER, str(tmp_path / "worker.pid")]
    command = [sys.executable, "-c", server, str(tmp_path / "server.pid")]
    script = (
        f"import sys; from core import devserver; sys.exit(devserver.main({command!r}, {worker!r}))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 20
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_stopping_the_server_stops_the_worker(tmp_path: Path, sig: signal.Signals) -> None:
    process = _devserver(tmp_path)
    server, worker = _pid(tmp_path / "server.pid"), _pid(tmp_path / "worker.pid")
    if sig == signal.SIGINT:
        # CTRL-C: the terminal signals the server's process group, not the worker's.
        os.kill(server, sig)
        os.kill(process.pid, sig)
    else:
        process.send_signal(sig)
    process.wait(timeout=30)
    assert _gone(server) and _gone(worker)
    assert "Task worker stopped." in process.stdout.read()


def test_a_server_that_exits_takes_the_worker_along(tmp_path: Path) -> None:
    # The stand-in server exits only once the worker is up: otherwise, on a loaded machine,
    # the devserver rightly stops a worker that has not yet written its pid, and the test
    # would wait for a file that never comes.
    quick = """
import os, sys, time, pathlib
here = pathlib.Path(sys.argv[1])
here.write_text(str(os.getpid()))
worker = here.with_name("worker.pid")
deadline = time.monotonic() + 20
while not (worker.exists() and worker.read_text()) and time.monotonic() < deadline:
    time.sleep(0.05)
sys.exit(3)
"""
    process = _devserver(tmp_path, server=quick)
    worker = _pid(tmp_path / "worker.pid")
    assert process.wait(timeout=30) == 3  # the server's exit status
    assert _gone(worker)


def test_make_run_starts_the_server_through_the_devserver() -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8123"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("PORT", "MAKEFLAGS")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    [line] = [line for line in done.stdout.splitlines() if "runserver" in line]
    assert "-m core.devserver " in line and line.endswith("runserver 127.0.0.1:8123")
