"""What a hostile caller sends: an answer that says no (4xx), never a 500, nothing written."""

from __future__ import annotations

import json

import pytest

from tests.fixtures import World
from tests.snapshot import database_snapshot

NUL = "\u0000"
BODIES = [
    ("post", "team/", {"person": f"a{NUL}b", "role": "gkam"}, 400),
    ("post", "team/", {"person": "x", "role": f"a{NUL}"}, 400),
    ("post", "contacts/", {"last_name": "x", "buying_roles": [f"a{NUL}"]}, 400),
    ("post", "contacts/", {"last_name": f"x{NUL}"}, 400),
    ("post", "contacts/", {f"key{NUL}": "x"}, 400),
    ("post", "contacts/", {"last_name": "x" * 3_000_000}, 400),  # over Django's body limit
    ("post", "contacts/", {"last_name": "x", "influence": 10**30, "attitude": -(10**30)}, 422),
    ("post", "contacts/", {"last_name": "x", "reports_to": "abc"}, 422),
    ("post", "contacts/", {"last_name": "x", "reports_to": 10**20}, 422),
    ("post", "revenue/", {"year": 2020, "amount": "1e400"}, 422),
    ("post", "revenue/", {"year": 2020, "amount": "NaN"}, 422),
    ("post", "revenue/", {"year": 2020, "amount": "9" * 40}, 422),
    ("patch", "team/99999999999999/", {}, 422),
]


@pytest.mark.parametrize("method, path, body, status", BODIES)
def test_bad_bodies_are_refused(world: World, api_client, method, path, body, status) -> None:
    lead = api_client("lead")
    lead.get("/api/me/")  # the token's first use is recorded: before the snapshot
    before = database_snapshot()
    url = f"/api/accounts/{world.account.slug}/{path}"
    answer = getattr(lead, method)(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == status, answer.content[:300]
    assert database_snapshot() == before


def test_bodies_that_are_not_json_or_too_deep(world: World, api_client) -> None:
    lead = api_client("lead")
    url = f"/api/accounts/{world.account.slug}/contacts/"
    for body, kind in (
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ("last_name=x", "application/x-www-form-urlencoded"),
        ("{", "application/json"),
    ):
        assert lead.post(url, body, content_type=kind).status_code == 400


def test_odd_paths_and_dates(world: World, api_client) -> None:
    lead = api_client("lead")
    assert lead.get("/api/accounts/a%00b/").status_code in (400, 404)
    contacts = f"/api/accounts/{world.account.slug}/contacts/"
    for moment in ("9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00"):
        assert lead.get(contacts, {"updated_since": moment}).status_code == 200
    # Moments UTC cannot hold (0001-01-01 in Berlin is in the year 0): the first
    # or the last UTC holds, so every row or none, never an overflow (a 500 before).
    urls = ("/api/accounts/", contacts, f"/api/accounts/{world.account.slug}/touchpoints/")
    for url in urls:
        for moment in ("0001-01-01", "0001-01-01T00:00:00+01:00"):
            answer = lead.get(url, {"updated_since": moment})
            assert answer.status_code == 200, (url, moment)
            assert answer.json()["count"] == lead.get(url).json()["count"] > 0
        answer = lead.get(url, {"updated_since": "9999-12-31T23:59:59-01:00"})
        assert answer.status_code == 200, url
        assert answer.json()["count"] == 0
    assert lead.get(contacts, {"updated_since": f"2026{NUL}"}).status_code == 400
