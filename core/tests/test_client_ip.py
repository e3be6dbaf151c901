"""The visitor's address behind kamteam's proxy: what login throttling counts."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.client_ip import client_ip
from tests.factories import UserFactory


def _request(forwarded: str | None, remote: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(KAMTEAM_BEHIND_PROXY=True)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        # The client wrote the first entry, the proxy appended the last: only that counts.
        ("1.2.3.4, 203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        (None, "10.0.0.1"),  # the proxy's own request
        ("not an address", "10.0.0.1"),
        ("", "10.0.0.1"),
    ],
)
def test_behind_the_proxy_the_last_forwarded_address_counts(forwarded, expected) -> None:
    assert client_ip(_request(forwarded)) == expected


@override_settings(KAMTEAM_BEHIND_PROXY=False)
def test_without_the_proxy_the_header_is_ignored() -> None:
    """Else a client would choose its own address and escape every limit."""
    assert client_ip(_request("203.0.113.7")) == "10.0.0.1"


@override_settings(KAMTEAM_BEHIND_PROXY=True)
def test_failed_logins_through_the_proxy_are_counted_per_visitor(db: None) -> None:
    UserFactory(username="ada")
    for visitor in ("203.0.113.7", "198.51.100.9"):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor).post(
            reverse("login"), {"username": "ada", "password": "wrong"}
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.7",
        "198.51.100.9",
    }
