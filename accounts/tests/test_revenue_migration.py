"""accounts.0007: an installation's undated revenue fields become dated rows.

The database of commit 586ddea (tests/test_upgrade_from_main.py's fixture,
with the demo's revenue) is upgraded in a subprocess, as IT would; then
every old value is looked for where the migration's docstring says it goes.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from tests.test_upgrade_from_main import SQLITE_FIXTURE, manage


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    return list(conn.execute(sql).fetchall())


def test_old_revenue_values_move_to_actuals_and_plan_targets(tmp_path: Path) -> None:
    copy = tmp_path / "db.sqlite3"
    with gzip.open(SQLITE_FIXTURE) as source, copy.open("wb") as target:
        shutil.copyfileobj(source, target)
    year = timezone.localdate().year
    with closing(sqlite3.connect(copy)) as conn:
        old = {
            pk: (Decimal(str(last)), Decimal(str(target)))
            for pk, last, target in _rows(
                conn, "SELECT id, revenue_last_year, revenue_target FROM accounts_keyaccount"
            )
        }
        covering = dict(  # account -> the plan covering this year
            _rows(
                conn,
                "SELECT account_id, id FROM accounts_keyaccountplan "
                f"WHERE start_year <= {year} AND end_year >= {year}",
            )
        )
        had_target = {
            plan
            for (plan,) in _rows(
                conn, f"SELECT plan_id FROM accounts_planrevenuetarget WHERE year = {year}"
            )
        }
        targets_before = dict(
            _rows(
                conn, f"SELECT plan_id, amount FROM accounts_planrevenuetarget WHERE year = {year}"
            )
        )
    assert any(last for last, _ in old.values()) and any(t for _, t in old.values())
    assert any(plan not in had_target for plan in covering.values()), "a target to fold"
    assert any(plan in had_target for plan in covering.values()), "a target to keep"

    migrated = manage(f"sqlite:///{copy}", "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    with closing(sqlite3.connect(copy)) as conn:
        actuals = {
            account: (y, Decimal(str(amount)))
            for account, y, amount in _rows(
                conn, "SELECT account_id, year, amount FROM accounts_revenueactual"
            )
        }
        targets = {
            plan: Decimal(str(amount))
            for plan, amount in _rows(
                conn, f"SELECT plan_id, amount FROM accounts_planrevenuetarget WHERE year = {year}"
            )
        }
        reasons = _rows(
            conn,
            "SELECT history_change_reason FROM accounts_historicalrevenueactual "
            "WHERE history_type = '+'",
        )
        columns = [row[1] for row in conn.execute("PRAGMA table_info(accounts_keyaccount)")]
    assert "revenue_last_year" not in columns and "revenue_target" not in columns
    # Last year's revenue is the actual of the year before the upgrade; 0 was no figure.
    assert actuals == {pk: (year - 1, last) for pk, (last, _) in old.items() if last > 0}
    assert len(reasons) == len(actuals)
    assert {reason for (reason,) in reasons} == {"from the account's former 'revenue last year'"}
    for account, (_, undated) in old.items():
        plan = covering.get(account)
        if plan is None:
            continue  # no plan covers this year: the undated target is dropped
        if plan in had_target:
            assert targets[plan] == Decimal(str(targets_before[plan]))  # the plan's own stays
        elif undated > 0:
            assert targets[plan] == undated  # folded into this year's target
