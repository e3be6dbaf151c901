"""`PORT=8123 make run` serves on 8123, and the demo names the address it serves on."""

from __future__ import annotations

import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
needs_make = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def _demo(**options: object) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_prints_the_address_it_is_given() -> None:
    output = _demo(url="http://127.0.0.1:8123/")
    assert "Log in at http://127.0.0.1:8123/ " in output
    assert ":8000" not in output


@pytest.mark.django_db
def test_demo_without_an_address_follows_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8124")
    assert "Log in at http://127.0.0.1:8124/ " in _demo()
    monkeypatch.delenv("PORT")
    assert "Log in at http://127.0.0.1:8000/ " in _demo()


def _make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PORT", "MAKEFLAGS")}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=environment | (env or {}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _run_commands(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return "\n".join(
        line for line in done.stdout.splitlines() if "manage.py demo" in line or "runserver" in line
    )


@needs_make
@pytest.mark.parametrize("how", ["environment", "argument"])
def test_make_run_serves_on_port_and_tells_the_demo(how: str) -> None:
    # -n: print the commands without running them (no server is started).
    if how == "environment":
        done = _make("-n", "run", env={"PORT": "8123"})
    else:
        done = _make("-n", "run", "PORT=8123")
    commands = _run_commands(done)
    assert "runserver 127.0.0.1:8123" in commands
    assert "manage.py demo --url http://127.0.0.1:8123/" in commands
    assert "8000" not in commands


@needs_make
def test_make_run_defaults_to_port_8000() -> None:
    commands = _run_commands(_make("-n", "run"))
    assert "runserver 127.0.0.1:8000" in commands
    assert "--url http://127.0.0.1:8000/" in commands


@needs_make
@pytest.mark.parametrize("port", ["abc", "0", "70000", "80; echo hi", ""])
def test_make_run_refuses_a_port_that_is_no_port(port: str) -> None:
    done = _make("check-port", env={"PORT": port})
    assert done.returncode != 0
    assert "PORT must be a port number" in done.stderr


@needs_make
def test_check_port_accepts_a_port() -> None:
    assert _make("check-port", env={"PORT": "8123"}).returncode == 0
