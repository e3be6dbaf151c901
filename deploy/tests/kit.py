"""What the deployment kit's tests share: its files, the environment file's reader, tools."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "env.example"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
SYSTEMD = DEPLOY / "systemd"

# A line of the environment file: NAME=value, or "#NAME=default" for one left at its default.
_SET = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
_DOCUMENTED = re.compile(r"^#\s?([A-Z][A-Z0-9_]*)=(.*)$")


def _value(name: str, raw: str) -> str:
    # The value as a shell and systemd's EnvironmentFile both read it: one
    # word, quoted if it holds spaces.
    words = shlex.split(raw)
    if len(words) > 1:
        raise ValueError(f"{name}: quote a value with spaces; got {raw!r}")
    return words[0] if words else ""


def read_env_file(path: Path = ENV_EXAMPLE) -> tuple[dict[str, str], dict[str, str]]:
    """The variables `path` sets, and those it shows commented out with their default."""
    set_here: dict[str, str] = {}
    documented: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if match := _SET.match(line):
            set_here[match[1]] = _value(match[1], match[2])
        elif match := _DOCUMENTED.match(line):
            documented[match[1]] = _value(match[1], match[2])
    return set_here, documented


def require_or_skip(reason: str) -> None:
    """Skip, unless KAMTEAM_REQUIRE_BROWSER is set (as in CI): then fail."""
    if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
        pytest.fail(f"KAMTEAM_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


def find_program(name: str) -> str | None:
    # nginx lives in /usr/sbin, which is not on every user's PATH.
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/sbin"):
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None
