"""`make run`: the development server and the task worker as one command.

    python -m core.devserver python manage.py runserver 127.0.0.1:8000

runs the given server command and, beside it, `manage.py db_worker`, the
worker that sends mails and runs other background work (core.mail,
core.schedule). When the server stops, for whatever reason (CTRL-C, a
SIGTERM or SIGHUP to this process, the server exiting by itself), the
worker is stopped too: no worker is left behind to hold the database.
When `make` itself is stopped (its shell dies and this process is
orphaned), both are stopped.

The worker runs in a process group of its own, so CTRL-C in the terminal
reaches the server only and the worker is stopped here, once and cleanly
(a second signal would make it abandon a task halfway).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from types import FrameType

WORKER = [sys.executable, "manage.py", "db_worker"]
# A worker finishing a mail gets this long to exit before it is killed.
GRACE_SECONDS = 10


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop `process` and its own children (Django's autoreloader runs one)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass  # gone already


def main(server_command: list[str], worker_command: list[str] = WORKER) -> int:
    if not server_command:
        print("usage: python -m core.devserver <server command ...>", file=sys.stderr)
        return 2
    worker = subprocess.Popen(worker_command, start_new_session=True)
    print(f"Task worker started (pid {worker.pid}); it stops with the server.", flush=True)
    server: subprocess.Popen[bytes] | None = None

    def forward(signum: int, frame: FrameType | None) -> None:
        # SIGTERM or SIGHUP for us: the server gets it too, then we clean up.
        if server is not None and server.poll() is None:
            server.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    parent = os.getppid()
    try:
        server = subprocess.Popen(server_command)
        while True:
            try:
                return server.wait(timeout=1)
            except subprocess.TimeoutExpired:
                if os.getppid() != parent:
                    # `make` was stopped, and its shell with it, without a word to us.
                    print("make stopped: stopping the server.", flush=True)
                    return 1
            except KeyboardInterrupt:
                continue  # the terminal's CTRL-C reached the server too: wait for it to exit
    finally:
        # A second CTRL-C must not cut the clean-up short and leave the worker behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if server is not None:
            _stop_server(server)
        _stop(worker)
        print("Task worker stopped.", flush=True)


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    """The server shares our process group: ask it alone, then insist."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
