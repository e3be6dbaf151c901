from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from api import tokens
from tests.fixtures import World


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def api_client(world: World) -> Callable[[str | None], Client]:
    """A client sending the personal token of `who` (None: no token at all)."""

    def make(who: str | None) -> Client:
        if who is None:
            return Client()
        _row, token = tokens.issue(user=getattr(world, who), name=f"test {who}")
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make
