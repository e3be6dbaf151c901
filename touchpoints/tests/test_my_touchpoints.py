"""My touchpoints, a page at a time (touchpoints.mine.my_touchpoints): overdue
first, each section counted in all, the same queries on every page."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.mine import MY_PAGE_SIZE
from touchpoints.models import Touchpoint


def _plan(world: World, overdue: int, upcoming: int) -> None:
    next_year = timezone.localdate().year + 1
    for i in range(overdue):
        Touchpoint.objects.create(
            account=world.account,
            contact=world.contact,
            year=2020,
            quarter=1 + i % 4,
            title=f"Late {i:02}",
            owner=world.membership,
        )
    for i in range(upcoming):
        Touchpoint.objects.create(
            account=world.account,
            contact=world.contact,
            year=next_year,
            quarter=1 + i % 4,
            title=f"Soon {i:02}",
            owner=world.membership,
        )


def _titles(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<span class="fw-semibold">({prefix} \d\d)</span>', html)


def test_a_page_holds_the_first_of_them_overdue_first_with_the_counts_of_all(
    world: World,
) -> None:
    _plan(world, overdue=MY_PAGE_SIZE + 2, upcoming=5)
    client = world.client_for("member")
    first = client.get(reverse("my_touchpoints")).content.decode()
    assert len(_titles(first, "Late")) == MY_PAGE_SIZE
    assert _titles(first, "Soon") == []
    assert f'Overdue <span class="badge text-bg-danger">{MY_PAGE_SIZE + 2}</span>' in first
    # The upcoming ones are on the next page: no "none planned" here.
    assert 'id="upcoming-h"' not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("my_touchpoints") + "?page=2").content.decode()
    assert len(_titles(second, "Late")) == 2
    assert sorted(_titles(second, "Soon")) == [f"Soon {i:02}" for i in range(5)]
    assert 'Coming up <span class="badge text-bg-light border">5</span>' in second
    assert "Page 2 of 2" in second


def test_a_page_past_the_last_or_not_a_number_shows_the_last_or_the_first(
    world: World,
) -> None:
    _plan(world, overdue=0, upcoming=MY_PAGE_SIZE + 1)
    client = world.client_for("member")
    last = client.get(reverse("my_touchpoints") + "?page=99").content.decode()
    assert "Page 2 of 2" in last and len(_titles(last, "Soon")) == 1
    first = client.get(reverse("my_touchpoints") + "?page=x").content.decode()
    assert "Page 1 of 2" in first
    assert "Nothing overdue." in first  # no overdue ones at all: the section says so


def test_nobody_with_nothing_planned_sees_both_empty_sections_and_no_pages(world: World) -> None:
    html = world.client_for("member").get(reverse("my_touchpoints")).content.decode()
    assert "Nothing overdue." in html and "No planned touchpoints." in html
    assert "Page 1 of" not in html


def test_every_page_costs_the_same_queries(world: World) -> None:
    _plan(world, overdue=3, upcoming=2)
    client = world.client_for("member")
    few = page_queries(client, reverse("my_touchpoints"))
    _plan(world, overdue=MY_PAGE_SIZE * 2, upcoming=MY_PAGE_SIZE)
    assert page_queries(client, reverse("my_touchpoints")) == few
    assert page_queries(client, reverse("my_touchpoints") + "?page=3") == few


def test_a_page_written_oddly_is_that_page_and_mark_done_comes_back_to_it(world: World) -> None:
    _plan(world, overdue=0, upcoming=MY_PAGE_SIZE + 1)
    client = world.client_for("member")
    url = reverse("my_touchpoints")
    second = client.get(f"{url}?page=0002").content.decode()
    assert "Page 2 of 2" in second and len(_titles(second, "Soon")) == 1
    assert f"?next={url}%3Fpage%3D2" in second
    first = client.get(f"{url}?page=" + "9" * 5000).content.decode()  # too long: page 1
    assert "Page 1 of 2" in first and f'?next={url}"' in first
