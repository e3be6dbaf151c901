"""The workspace's scheduled work, run by the task worker (core.schedule)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from workspace.digest import send_digests


@task()
def send_weekly_digests(scheduled_for: str = "") -> dict[str, Any]:
    """Everyone's weekly digest (registered for Monday morning in WorkspaceConfig.ready)."""
    run = send_digests()
    return {"sent": run.sent, "empty": run.empty, "failed": run.failed}
