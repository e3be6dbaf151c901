"""The soak's throwaway PostgreSQL cluster: created on first use, trust on loopback."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bench.common import log


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v))
    return versions[-1]


def pg_ctl(version: str, cluster: str, action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action],
        check=True,
        capture_output=True,
    )


def pg_ready(port: int) -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
        ).returncode
        == 0
    )


def ensure_cluster(version: str, cluster: str, port: int) -> None:
    conf = Path("/etc/postgresql") / version / cluster
    if not conf.exists():
        log(f"creating PostgreSQL cluster {version}/{cluster} on port {port}")
        subprocess.run(
            ["pg_createcluster", version, cluster, "--port", str(port)],
            check=True,
            capture_output=True,
        )
        (conf / "pg_hba.conf").write_text(
            "# kamteam soak cluster: throwaway, loopback only, trust.\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            "host all all ::1/128 trust\n"
        )
        with (conf / "postgresql.conf").open("a") as f:
            f.write("\nlisten_addresses = '127.0.0.1'\nmax_connections = 100\n")
    if not pg_ready(port):
        pg_ctl(version, cluster, "start")
        for _ in range(60):
            if pg_ready(port):
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"cluster {version}/{cluster} did not start")
