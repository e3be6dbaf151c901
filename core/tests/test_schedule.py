"""Scheduled jobs (core.schedule, `manage.py run_scheduled`): due once per period."""

from __future__ import annotations

import datetime
import threading
import time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks import task

from core import schedule
from core.models import ScheduledRun

BERLIN = ZoneInfo("Europe/Berlin")
ROOT = Path(__file__).resolve().parents[2]
runs: list[str] = []


@task()
def record_run(scheduled_for: str) -> None:
    """A job that notes each run (the tests' immediate backend runs it at once)."""
    runs.append(scheduled_for)


@task()
def slow_run(scheduled_for: str) -> None:
    """A job that holds its transaction open for a while, so a second caller must wait."""
    time.sleep(0.5)
    runs.append(scheduled_for)


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def registry(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    """An empty registry and run list per test (apps' own jobs stay out of the counts)."""
    monkeypatch.setattr(schedule, "_jobs", {})
    runs.clear()
    settings.TIME_ZONE = "Europe/Berlin"


# Cadences ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "latest"),
    [
        (at(2026, 3, 2, 5, 59), at(2026, 3, 1, 6, 0)),  # before 06:00: yesterday's
        (at(2026, 3, 2, 6, 0), at(2026, 3, 2, 6, 0)),
        (at(2026, 3, 2, 23, 0), at(2026, 3, 2, 6, 0)),
        # The night summer time begins: still 06:00 on the clock, now at +02:00.
        (at(2026, 3, 29, 12, 0), datetime.datetime(2026, 3, 29, 4, 0, tzinfo=datetime.UTC)),
    ],
)
def test_daily_at_six_in_the_installations_time_zone(
    now: datetime.datetime, latest: datetime.datetime
) -> None:
    assert schedule.daily("06:00").latest(now) == latest


@pytest.mark.parametrize(
    ("now", "latest"),
    [
        (at(2026, 3, 2, 5, 0), at(2026, 2, 23, 6, 0)),  # Monday before 06:00: last week's
        (at(2026, 3, 2, 6, 0), at(2026, 3, 2, 6, 0)),  # Monday 06:00
        (at(2026, 3, 8, 23, 59), at(2026, 3, 2, 6, 0)),  # Sunday night
        (at(2026, 3, 9, 6, 1), at(2026, 3, 9, 6, 0)),
    ],
)
def test_weekly_on_monday_at_six(now: datetime.datetime, latest: datetime.datetime) -> None:
    assert schedule.weekly("monday", "06:00").latest(now) == latest


def test_a_utc_clock_is_read_in_local_time() -> None:
    # 05:30 UTC in winter is 06:30 in Berlin: today's run is due.
    now = datetime.datetime(2026, 1, 5, 5, 30, tzinfo=datetime.UTC)
    assert schedule.daily("06:00").latest(now) == at(2026, 1, 5, 6, 0)


def test_cadences_describe_themselves() -> None:
    assert str(schedule.daily("06:00")) == "daily at 06:00"
    assert str(schedule.weekly("Monday", "06:30")) == "weekly on Monday at 06:30"


@pytest.mark.parametrize(
    "make",
    [
        lambda: schedule.daily("25:00"),
        lambda: schedule.daily("six"),
        lambda: schedule.weekly("montag", "06:00"),
        lambda: schedule.register("x.job", record_run.func, schedule.daily("06:00")),
        lambda: schedule.register("", record_run, schedule.daily("06:00")),
    ],
)
def test_bad_registrations_fail_at_start_up(make) -> None:
    with pytest.raises(ImproperlyConfigured):
        make()


def test_a_name_is_registered_once() -> None:
    schedule.register("core.test", record_run, schedule.daily("06:00"))
    with pytest.raises(ImproperlyConfigured, match="registered already"):
        schedule.register("core.test", slow_run, schedule.daily("07:00"))


# Running ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_job_runs_and_one_not_due_waits() -> None:
    schedule.register("core.daily", record_run, schedule.daily("06:00"))
    schedule.register("core.weekly", record_run, schedule.weekly("monday", "06:00"))
    # Monday 2 March, 05:00: both ran in their last periods already.
    ScheduledRun.objects.create(job="core.daily", period="2026-03-01T06:00+01:00")
    ScheduledRun.objects.create(job="core.weekly", period="2026-02-23T06:00+01:00")
    assert schedule.run_due(now=at(2026, 3, 2, 5, 0)).started == []
    outcome = schedule.run_due(now=at(2026, 3, 2, 6, 5))
    assert [(job.name, period) for job, period in outcome.started] == [
        ("core.daily", "2026-03-02T06:00+01:00"),
        ("core.weekly", "2026-03-02T06:00+01:00"),
    ]
    assert runs == ["2026-03-02T06:00+01:00", "2026-03-02T06:00+01:00"]
    assert schedule.run_due(now=at(2026, 3, 2, 23, 0)).started == []  # the same periods


@pytest.mark.django_db
def test_running_twice_runs_a_job_once_per_period() -> None:
    schedule.register("core.daily", record_run, schedule.daily("06:00"))
    for _ in range(2):
        call_command("run_scheduled", stdout=StringIO())
    assert len(runs) == 1
    assert ScheduledRun.objects.filter(job="core.daily").count() == 1


@pytest.mark.django_db
def test_a_missed_period_is_made_up_once_not_for_every_day() -> None:
    schedule.register("core.daily", record_run, schedule.daily("06:00"))
    ScheduledRun.objects.create(job="core.daily", period="2026-03-01T06:00+01:00")
    schedule.run_due(now=at(2026, 3, 5, 5, 0))  # nothing ran on the 2nd, 3rd and 4th
    assert runs == ["2026-03-04T06:00+01:00"]


@pytest.mark.django_db
def test_a_queue_that_is_down_leaves_the_period_due(settings) -> None:
    schedule.register("core.daily", record_run, schedule.daily("06:00"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nobody listens
    out = StringIO()
    with pytest.raises(CommandError, match=r"core\.daily"):
        call_command("run_scheduled", stdout=out)
    assert not ScheduledRun.objects.exists()  # the record went with the failed enqueue
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("run_scheduled", stdout=out)
    assert len(runs) == 1 and "Enqueued core.daily for " in out.getvalue()


@pytest.mark.django_db
def test_the_list_shows_each_job_and_whether_its_period_is_done() -> None:
    schedule.register("core.daily", record_run, schedule.daily("06:00"))
    out = StringIO()
    call_command("run_scheduled", "--list", stdout=out)
    assert "core.daily: daily at 06:00; period " in out.getvalue()
    assert out.getvalue().strip().endswith("due") and runs == []
    call_command("run_scheduled", stdout=StringIO())
    out = StringIO()
    call_command("run_scheduled", "--list", stdout=out)
    assert out.getvalue().strip().endswith("done")


@pytest.mark.django_db(transaction=True)
def test_two_servers_at_the_same_moment_run_a_job_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks (SQLite serialises writers anyway)")
    schedule.register("core.slow", slow_run, schedule.daily("06:00"))
    start = threading.Barrier(2)
    outcomes: list[schedule.Outcome] = []

    def server() -> None:
        try:
            start.wait()
            outcomes.append(schedule.run_due(now=at(2026, 3, 2, 6, 1)))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(len(outcome.started) for outcome in outcomes) == [0, 1]
    assert all(outcome.failed == [] for outcome in outcomes)
    assert runs == ["2026-03-02T06:00+01:00"]
    assert ScheduledRun.objects.count() == 1


def test_the_deploy_files_call_the_documented_commands() -> None:
    systemd = ROOT / "deploy" / "systemd"
    service = (systemd / "kamteam-scheduled.service").read_text()
    timer = (systemd / "kamteam-scheduled.timer").read_text()
    worker = (systemd / "kamteam-worker.service").read_text()
    assert "manage.py run_scheduled" in service and "Type=oneshot" in service
    assert "OnCalendar=" in timer and "Unit=kamteam-scheduled.service" in timer
    assert "manage.py db_worker" in worker and "Restart=" in worker
    crontab = (ROOT / "deploy" / "crontab").read_text()
    assert "manage.py run_scheduled" in crontab
