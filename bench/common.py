"""What `make bench` and `make soak` share: databases, gunicorn, wrk, probes."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
LUA = str(BENCH / "report.lua")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def db_url(name: str, port: int = 5432) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def psql(sql: str, port: int = 5432, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def recreate_db(name: str, port: int = 5432, template: str | None = None) -> None:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", port)
    psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""), port)


def app_env(database_url: str, static_root: str, secret_key: str) -> dict[str, str]:
    """Production settings (DEBUG off) on plain HTTP over loopback."""
    env = dict(os.environ)
    for name in ("DEBUG", "BEHIND_TLS_PROXY"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def new_secret() -> str:
    return secrets.token_urlsafe(50)


def run_py(args: list[str], env: dict[str, str], capture: bool = True) -> str:
    result = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, check=False, capture_output=capture, text=True
    )
    if result.returncode:
        sys.stderr.write((result.stdout or "") + (result.stderr or ""))
        raise SystemExit(f"failed: python {' '.join(args)}")
    return result.stdout


def migrate(env: dict[str, str]) -> None:
    run_py(["manage.py", "migrate", "--noinput", "-v", "0"], env)


def collectstatic(env: dict[str, str]) -> None:
    shutil.rmtree(env["BENCH_STATIC_ROOT"], ignore_errors=True)
    run_py(["manage.py", "collectstatic", "--noinput", "-v", "0"], env)


def probe(env: dict[str, str], *args: str) -> dict:
    out = run_py(["bench/probe.py", *args], env)
    return json.loads(out.strip().splitlines()[-1])


class Gunicorn:
    """gunicorn kamteam.wsgi on loopback, as production would run it."""

    def __init__(self, env: dict[str, str], port: int, workers: int, logfile: Path) -> None:
        self.env, self.port, self.workers, self.logfile = env, port, workers, logfile
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        with self.logfile.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    GUNICORN,
                    "kamteam.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "5",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.logfile}")
            if self.status("/healthz/") == 200:
                return
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not become healthy; see {self.logfile}")

    def status(self, path: str, cookie: str = "") -> int:
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    def worker_pids(self) -> list[int]:
        assert self.proc
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk not found: `apt-get install -y wrk` (make bench does this)")
    return wrk


def wrk(
    url: str,
    *,
    cookie: str = "",
    seconds: int = 10,
    connections: int = 8,
    threads: int = 2,
    timeout: int = 10,
    paths: list[str] | None = None,
) -> dict:
    """Run wrk with report.lua (or soak.lua rotating over `paths`); parse its done()."""
    args = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "-s",
        str(BENCH / "soak.lua") if paths else LUA,
    ]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    args.append(url)
    if paths:
        args += ["--", *paths]
    out = subprocess.run(
        args, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            result = json.loads(line[len("BENCH_JSON ") :])
            e = result["errors"]
            result["error_count"] = (
                e["connect"] + e["read"] + e["write"] + e["timeout"] + e["non2xx"]
            )
            return result
    raise SystemExit(f"wrk printed no BENCH_JSON line:\n{out}")
