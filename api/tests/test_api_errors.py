"""Answers given before a route runs are JSON under /api/ too (core.errors)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.fixtures import World

pytestmark = pytest.mark.django_db


def _detail(response) -> str:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["detail"]


def test_a_nul_byte_in_an_api_address_answers_json(world: World, api_client) -> None:  # type: ignore[no-untyped-def]
    response = api_client("lead").get("/api/accounts/%00/")
    assert response.status_code == 400
    assert "NUL byte" in _detail(response)


def test_too_many_escapes_in_an_api_query_answer_json(world: World, api_client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_PERCENT_ESCAPES = 10
    response = api_client("lead").get("/api/accounts/?q=" + "%41" * 11)
    assert response.status_code == 400
    assert "encoded characters" in _detail(response)


def test_an_address_under_api_that_matches_no_route_answers_json_404(db: None) -> None:
    response = Client().get("/api/no-such-route/")
    assert response.status_code == 404
    assert _detail(response) == "Not Found"
