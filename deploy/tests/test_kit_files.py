"""The kit's files on their own: the nginx renderer, gunicorn's settings, the systemd units.

The end-to-end run of all of them together is test_nginx_tls.py.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import render
from deploy.tests.kit import ENV_EXAMPLE, GUNICORN_CONF, ROOT, SYSTEMD


def test_rendered_site_has_every_placeholder_filled() -> None:
    site = render.render(render.Site(server_name="kamteam.example.com"))
    assert not render.PLACEHOLDER.search(site)
    assert "server_name kamteam.example.com;" in site
    assert "ssl_certificate /etc/letsencrypt/live/kamteam.example.com/fullchain.pem;" in site
    assert "alias /srv/kamteam/staticfiles/;" in site
    assert "server 127.0.0.1:8000 fail_timeout=0;" in site
    # Port 443: the redirect names no port.
    assert "return 301 https://$server_name$request_uri;" in site


def test_another_https_port_appears_in_the_redirect() -> None:
    site = render.render(
        render.Site(server_name="localhost", https_listen="127.0.0.1:8443", http_listen="8080")
    )
    assert "listen 127.0.0.1:8443 ssl http2;" in site
    assert "listen 8080;" in site
    assert "return 301 https://$server_name:8443$request_uri;" in site


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("server_name", "kamteam.example.com; include /etc/passwd"),
        ("static_root", "staticfiles"),
        ("upstream", "127.0.0.1:8000 backup"),
        ("https_listen", "[::1]"),
        ("cert", "/etc/ssl/my cert.pem"),
    ],
)
def test_a_value_that_would_break_the_file_is_refused(field: str, value: str) -> None:
    with pytest.raises(ValueError):
        render.render(render.Site(**{"server_name": "kamteam.example.com", field: value}))


def test_a_placeholder_without_a_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="no value for UNKNOWN"):
        render.fill("listen @UNKNOWN@;", {})


def test_the_command_line_prints_the_site(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "deploy/render.py", "--server-name", "kamteam.example.com"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "server_name kamteam.example.com;" in result.stdout
    refused = subprocess.run(
        [sys.executable, "deploy/render.py", "--server-name", "a b"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert refused.returncode == 2
    assert "SERVER_NAME must be one word" in refused.stderr


def _gunicorn_settings(**env: str) -> dict[str, object]:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(GUNICORN_CONF))
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def test_gunicorn_defaults_follow_the_cores() -> None:
    found = _gunicorn_settings(GUNICORN_WORKERS="", GUNICORN_THREADS="", GUNICORN_BIND="")
    assert found["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert found["threads"] == 1
    assert found["bind"] == ["127.0.0.1:8000"]
    assert found["wsgi_app"] == "kamteam.wsgi:application"
    assert found["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_gunicorn_takes_its_settings_from_the_environment() -> None:
    found = _gunicorn_settings(
        GUNICORN_WORKERS="3", GUNICORN_THREADS="4", GUNICORN_BIND="unix:/run/kamteam/g.sock"
    )
    assert (found["workers"], found["threads"]) == (3, 4)
    assert found["bind"] == ["unix:/run/kamteam/g.sock"]


@pytest.mark.parametrize("raw", ["0", "many"])
def test_gunicorn_refuses_a_bad_worker_count(raw: str) -> None:
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
        _gunicorn_settings(GUNICORN_WORKERS=raw)


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """systemd-analyze verify: known keys, valid values, programs that exist.

    The units name the production layout (/srv/kamteam, /etc/kamteam/env);
    here they point at this checkout and deploy/env.example instead.
    """
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed (package systemd)")
    venv_bin = str(Path(sys.executable).parent)
    units = []
    for unit in sorted(SYSTEMD.glob("kamteam-*")):
        text = (
            unit.read_text()
            .replace("/srv/kamteam/.venv/bin", venv_bin)
            .replace("/srv/kamteam", str(ROOT))
            .replace("/etc/kamteam/env", str(ENV_EXAMPLE))
        )
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert {Path(u).name for u in units} >= {
        "kamteam-web.service",
        "kamteam-worker.service",
        "kamteam-scheduled.service",
        "kamteam-scheduled.timer",
    }
    result = subprocess.run(
        [analyze, "verify", *units],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
