from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages compared here are the English ones, whatever another test in
    this process left active."""
    with translation.override("en"):
        yield
