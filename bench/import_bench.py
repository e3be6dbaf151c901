"""`make bench` (after the page benchmark): importing contacts at volume.

Issue 15's target: the preview and import of 10,000 contacts across 100
accounts under 60 s and 300 MB on this machine, growing linearly. The script
migrates a database of its own, then in a child process (production
settings, PostgreSQL) imports, for 10 and then for 100 new accounts, a .csv
of 100 contacts each: a head of purchasing, 99 people reporting to them, a
buying-centre role each. Each account is read, previewed and written as the
browser's confirm does (one transaction, under the account's lock), then
previewed a second time (nothing to change). Then the largest team file the
team import takes (500 seats, each through the team's own save) goes into one
account. Last, that account's 500 seats move to the last contacts account,
which gets 5,000 touchpoints, and the whole account is exported and imported
from its JSON as a manager's upload is (preview, then confirm). Reports
seconds and the peak resident memory of the child, and exits 1 when a
target is missed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH, app_env, db_url, log, migrate, new_secret, recreate_db, run_py

DB = "kamteam_bench_import"
PER_ACCOUNT = 100
TARGET_SECONDS = 60.0
TARGET_MB = 300.0
# Ten times the contacts may take at most this many times as long (linear, with room).
LINEAR_SLACK = 1.5
# The largest team file must import within one request, well inside gunicorn's timeout.
TEAM_TARGET_SECONDS = 15.0
# A key account's export of ~5,600 records (a browser upload) previews, and then
# imports, each within one request, well inside gunicorn's timeout.
ACCOUNT_TARGET_SECONDS = 20.0

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from django.db import transaction
from imports import contacts, services
from imports.readers import read_table
from tests.factories import KeyAccountFactory, UserFactory

lead = UserFactory(username="bench-importer")
per_account = int(sys.argv[1])
results = {}
for accounts in (10, 100):
    rows = ["CRM id;First name;Last name;Position;Buying-centre roles;Reports to"]
    rows.append("K-0;Hanna;Einkauf;Head of purchasing;decider;")
    rows += [f"K-{i};Person {i};Name{i};Buyer;buyer;K-0" for i in range(1, per_account)]
    data = "\n".join(rows).encode("cp1252")
    targets = [KeyAccountFactory() for _ in range(accounts)]
    start = time.perf_counter()
    for account in targets:
        table = read_table("contacts.csv", data)
        with transaction.atomic():
            preview = services.import_rows(account, table, lead)
            assert preview.ok, preview.problems[:3]
    imported = time.perf_counter() - start
    start = time.perf_counter()
    for account in targets:
        again = contacts.preview(account, read_table("contacts.csv", data))
        assert again.count("unchanged") == per_account
    results[accounts * per_account] = {
        "import_s": round(imported, 2),
        "second_preview_s": round(time.perf_counter() - start, 2),
    }
# The largest team file the team import takes (imports.team.MAX_ROWS), into one account.
from imports.team import MAX_ROWS
people = [UserFactory(username=f"bench-seat-{i}") for i in range(MAX_ROWS)]
rows = ["Person;Team role;Team"] + [f"{p.username};Engineering;extended" for p in people]
account = KeyAccountFactory()
start = time.perf_counter()
with transaction.atomic():
    preview = services.import_rows(
        account, read_table("team.csv", "\n".join(rows).encode()), lead, kind="team"
    )
    assert preview.ok and preview.count("create") == MAX_ROWS, preview.problems[:3]
results["team_seats"] = {"rows": MAX_ROWS, "import_s": round(time.perf_counter() - start, 2)}
# A whole key account from its JSON export, as a manager's upload brings it: the
# 100 contacts of the last account above, its 500 seats' account (team) and
# 5,000 touchpoints, each owned by a seat and about a contact.
from accounts.models import AccountTeamMember
from touchpoints.models import Touchpoint
from workspace.exports.account import account_export
from workspace.exports.common import json_text
from workspace.moving_in.account import import_account, read_export

big = targets[-1]
AccountTeamMember.objects.filter(account=account).update(account=big)
seats = list(AccountTeamMember.objects.filter(account=big))
people = list(big.contacts.all())
Touchpoint.objects.bulk_create(
    Touchpoint(account=big, contact=people[i % len(people)], owner=seats[i % len(seats)],
               year=2026, quarter=1 + i % 4, title=f"Touchpoint {i}")
    for i in range(5000)
)
raw = json_text(account_export(big, None)).encode()
start = time.perf_counter()
data = read_export(raw)
preview = import_account(data, by=lead, commit=False)
assert preview.ok, preview.problems[:3]
previewed = time.perf_counter() - start
start = time.perf_counter()
done = import_account(data, by=lead, commit=True)
assert done.account is not None, done.problems[:3]
results["account_export"] = {
    "records": done.total, "mb": round(len(raw) / 1e6, 1),
    "preview_s": round(previewed, 2), "import_s": round(time.perf_counter() - start, 2),
}
results["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(results))
"""


def main() -> None:
    log(f"import bench: migrating {DB}")
    recreate_db(DB)
    with tempfile.TemporaryDirectory() as static_root:
        env = app_env(db_url(DB), static_root, new_secret())
        migrate(env)
        log(f"import bench: 1,000 then 10,000 contacts in accounts of {PER_ACCOUNT}")
        out = run_py(["-c", CHILD, str(PER_ACCOUNT)], env)
    report = json.loads(out.strip().splitlines()[-1])
    small, large = report["1000"], report["10000"]
    growth = large["import_s"] / max(small["import_s"], 0.01)
    print("\nImporting contacts (preview and write, 100 per account):")
    print(f"  1,000 contacts:  {small['import_s']} s, second preview {small['second_preview_s']} s")
    print(f"  10,000 contacts: {large['import_s']} s, second preview {large['second_preview_s']} s")
    print(f"  growth 10x the contacts: {growth:.1f}x the time; peak memory {report['peak_mb']} MB")
    team = report["team_seats"]
    print(f"  {team['rows']} team seats (the team import's most): {team['import_s']} s")
    whole = report["account_export"]
    print(
        f"  a key account from its export ({whole['records']:,} records, {whole['mb']} MB): "
        f"preview {whole['preview_s']} s, import {whole['import_s']} s"
    )
    (BENCH / "import-report.json").write_text(json.dumps(report, indent=2) + "\n")
    missed = []
    if large["import_s"] + large["second_preview_s"] > TARGET_SECONDS:
        missed.append(f"10,000 contacts took over {TARGET_SECONDS} s")
    if team["import_s"] > TEAM_TARGET_SECONDS:
        missed.append(f"{team['rows']} team seats took over {TEAM_TARGET_SECONDS} s")
    if whole["preview_s"] > ACCOUNT_TARGET_SECONDS or whole["import_s"] > ACCOUNT_TARGET_SECONDS:
        missed.append(f"the account export took over {ACCOUNT_TARGET_SECONDS} s")
    if report["peak_mb"] > TARGET_MB:
        missed.append(f"peak memory over {TARGET_MB} MB")
    if growth > 10 * LINEAR_SLACK:
        missed.append(f"not linear: 10x the contacts took {growth:.1f}x the time")
    if missed:
        raise SystemExit("import targets missed: " + "; ".join(missed))
    print("Import targets met.")


if __name__ == "__main__":
    main()
