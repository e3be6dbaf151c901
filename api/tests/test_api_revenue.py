"""Revenue actuals through the API: the ERP's sync records and corrects years."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import override

from accounts.models import RevenueActual
from tests.factories import RevenueActualFactory
from tests.fixtures import World
from tests.queries import page_queries


def revenue_url(w: World) -> str:
    return f"/api/accounts/{w.account.slug}/revenue/"


def send(client, method: str, url: str, data: dict):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_a_year_is_recorded_then_corrected_with_its_version(world: World, api_client) -> None:
    lead = api_client("lead")
    RevenueActual.objects.filter(account=world.account).delete()
    last_year = timezone.localdate().year - 1
    # The amount is a plain decimal whatever the language (a German reader types 4.700.000).
    created = send(lead, "post", revenue_url(world), {"year": last_year, "amount": "4700000.50"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["year"], body["amount"], body["version"]) == (last_year, "4700000.50", 1)
    url = f"{revenue_url(world)}{body['id']}/"
    corrected = send(
        lead,
        "patch",
        url,
        {"amount": 4800000, "version": 1},
    )
    assert corrected.status_code == 200 and corrected.json()["amount"] == "4800000.00"
    stale = send(lead, "patch", url, {"amount": 1, "version": 1})
    assert stale.status_code == 409
    actual = RevenueActual.objects.get(pk=body["id"])
    assert actual.amount == 4800000
    assert {record.history_user for record in actual.history.all()} == {world.lead}


def test_the_pages_rules_hold(world: World, api_client) -> None:
    lead = api_client("lead")
    this_year = timezone.localdate().year
    RevenueActual.objects.filter(account=world.account).delete()
    RevenueActualFactory(account=world.account, year=this_year - 1)
    cases = [
        ({"year": this_year + 1, "amount": 1}, "year"),  # not begun
        ({"year": this_year - 1, "amount": 1}, "year"),  # recorded already
        ({"year": this_year, "amount": -5}, "amount"),
        ({"year": this_year, "amount": "lots"}, None),  # not a decimal: the schema says so
    ]
    for data, field in cases:
        with override("de"):
            answer = send(lead, "post", revenue_url(world), data)
        assert answer.status_code == 422, (data, answer.content)
        if field:
            assert field in answer.json()["errors"], answer.json()
    assert RevenueActual.objects.filter(account=world.account).count() == 1
    assert (
        send(
            api_client("member"), "post", revenue_url(world), {"year": this_year, "amount": 1}
        ).status_code
        == 403
    )


def test_the_list_costs_the_same_queries_at_two_sizes(world: World, api_client) -> None:
    client = api_client("lead")
    RevenueActual.objects.filter(account=world.account).delete()
    RevenueActualFactory(account=world.account, year=2000)
    small = page_queries(client, revenue_url(world))
    for year in range(2001, 2021):
        RevenueActualFactory(account=world.account, year=year)
    assert page_queries(client, revenue_url(world)) == small
    assert len(client.get(revenue_url(world)).json()["items"]) == 21
