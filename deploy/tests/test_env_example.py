"""deploy/env.example lists every variable kamteam reads, and reads the same everywhere.

Which variables kamteam reads is found two ways, so a new one cannot slip
past: the settings are imported in a fresh interpreter whose os.environ
records every name our code asks for, and the files of ours that import
loads are searched for env_*("NAME") / os.environ reads (a name read only on
a branch not taken, such as KAMTEAM_TASKS=redis, is found there).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from deploy.tests.kit import ENV_EXAMPLE, GUNICORN_CONF, ROOT, read_env_file

# Run in a fresh interpreter: os.environ becomes a mapping that notes every
# name asked for by a file of the checkout (not by a library), then the
# settings load. Prints the names and the files of ours that were loaded.
RECORDER = r"""
import json, os, sys

root = sys.argv[1]
real = os.environ
asked = set()


def ours(filename):
    library = "/.venv" in filename or "site-packages" in filename
    return filename.startswith(root) and not library


class Recording(dict):
    def _note(self, key):
        if ours(sys._getframe(2).f_code.co_filename):
            asked.add(key)

    def get(self, key, default=None):
        self._note(key)
        return real.get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return real[key]

    def __contains__(self, key):
        self._note(key)
        return key in real


os.environ = Recording(real)
import kamteam.settings  # noqa: E402

files = sorted(
    m.__file__ for m in list(sys.modules.values()) if ours(getattr(m, "__file__", None) or "")
)
print(json.dumps({"asked": sorted(asked), "files": files}))
"""

# env_bool("DEBUG", ...), env("OIDC_ISSUER", ...), os.environ.get("X"), os.environ["X"], ...
READS = (
    re.compile(r"(?:env_[a-z]+|\benv|environ\.get|getenv|found\.get)\(\s*\"([A-Z][A-Z0-9_]+)\""),
    re.compile(r"environ\[\s*\"([A-Z][A-Z0-9_]+)\"\s*\]"),
)


def _names_in(path: Path) -> set[str]:
    text = path.read_text()
    return {name for pattern in READS for name in pattern.findall(text)}


def _read_by_kamteam() -> set[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        # The production branch (DEBUG off): the one an installation runs.
        "SECRET_KEY": "only-to-load-the-settings",
        "ALLOWED_HOSTS": "kamteam.example.com",
    }
    result = subprocess.run(
        [sys.executable, "-c", RECORDER, str(ROOT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    names = set(found["asked"])
    for filename in found["files"]:
        names |= _names_in(Path(filename))
    return names


def test_every_variable_the_settings_read_is_in_env_example() -> None:
    set_here, documented = read_env_file()
    listed = set(set_here) | set(documented)
    read = _read_by_kamteam() | _names_in(GUNICORN_CONF)
    assert {"SECRET_KEY", "DATABASE_URL", "LDAP_SERVER_URI", "GUNICORN_WORKERS"} <= read
    missing = sorted(read - listed)
    assert not missing, f"add to deploy/env.example (with default and meaning): {missing}"


def test_env_example_lists_nothing_kamteam_does_not_read() -> None:
    set_here, documented = read_env_file()
    read = _read_by_kamteam() | _names_in(GUNICORN_CONF)
    stale = sorted((set(set_here) | set(documented)) - read)
    assert not stale, f"deploy/env.example names variables nothing reads: {stale}"


def test_every_variable_has_a_meaning_above_it() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    variable = re.compile(r"^#?\s?[A-Z][A-Z0-9_]*=")
    for number, line in enumerate(lines):
        if not variable.match(line):
            continue
        above = lines[number - 1]
        # A comment, or another variable of the same group under one comment.
        assert above.startswith("#"), f"line {number + 1} ({line}) has no comment above it"


def test_a_shell_reads_the_same_values_as_the_parser() -> None:
    set_here, _documented = read_env_file()
    script = f"set -a && . {ENV_EXAMPLE} && env -0"
    result = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=30,
        check=True,
    )
    exported = dict(
        item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item
    )
    assert {name: exported.get(name) for name in set_here} == set_here


def test_env_example_holds_no_secret() -> None:
    set_here, documented = read_env_file()
    assert set_here["SECRET_KEY"] == ""
    secrets = ("EMAIL_HOST_PASSWORD", "LDAP_BIND_PASSWORD", "OIDC_CLIENT_SECRET", "METRICS_TOKEN")
    for name in (*secrets, "SENTRY_DSN"):
        assert set_here.get(name, documented.get(name)) == ""


# Loads the settings with the environment file's values, then once more per
# commented variable set to the value shown, and prints the variables whose
# value changed any setting: the value shown is then not the default.
DEFAULTS_CHECK = r"""
import importlib, json, os, runpy, sys

from django.utils.functional import Promise

shown = json.loads(sys.argv[1])
conf = sys.argv[2]


def stable(value):
    # A lazy translation cannot be shown before Django is set up: its text will do.
    if isinstance(value, Promise):
        return ("lazy", value._args)
    if isinstance(value, (list, tuple)):
        return [stable(item) for item in value]
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items()}
    return repr(value)


def settings_now():
    import kamteam.settings as module

    module = importlib.reload(module)
    return {name: stable(value) for name, value in vars(module).items() if name.isupper()}


def gunicorn_now():
    found = runpy.run_path(conf)
    return {name: repr(found[name]) for name in ("bind", "workers", "threads", "timeout",
                                                 "loglevel", "forwarded_allow_ips")}


before = (settings_now(), gunicorn_now())
changed = []
for name, value in shown.items():
    os.environ[name] = value
    if (settings_now(), gunicorn_now()) != before:
        changed.append(name)
    del os.environ[name]
print(json.dumps(changed))
"""
# Shown as an example, not the default: REDIS_URL (none by default), and the
# folders in the checkout, which the README's layout puts in /srv/kamteam.
EXAMPLES_NOT_DEFAULTS = {"REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT", "PROGRESS_DIR"}


def test_commented_values_are_the_defaults() -> None:
    set_here, documented = read_env_file()
    shown = {k: v for k, v in documented.items() if k not in EXAMPLES_NOT_DEFAULTS}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **set_here,
        "SECRET_KEY": "only-to-load-the-settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", DEFAULTS_CHECK, json.dumps(shown), str(GUNICORN_CONF)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    changed = json.loads(result.stdout.strip().splitlines()[-1])
    assert changed == [], f"deploy/env.example shows a value that is not the default: {changed}"
