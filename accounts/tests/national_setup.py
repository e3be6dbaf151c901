"""What the national plan tests share: NKAM seats, national plans, their addresses, growth."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import AccountTeamMember, NationalObjective, NationalPlan, NationalTarget
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World


def add_nkam(world: World, username: str, country: str) -> AccountTeamMember:
    user = UserFactory(username=username)
    return TeamMemberFactory(account=world.account, user=user, role=role("nkam"), country=country)


def client_of(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def make_national(world: World, country: str, **fields: object) -> NationalPlan:
    return NationalPlan.objects.create(plan=world.plan, country=country, **fields)


def national_url(world: World, name: str, country: str | None = None, **kwargs: object) -> str:
    args = {"slug": world.account.slug, "plan_id": world.plan.pk, **kwargs}
    if country:
        args["country"] = country.lower()
    return reverse(f"accounts:{name}", kwargs=args)


def plan_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"follows_framework": "on", "exception_reason": "", "notes": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def set_targets(national: NationalPlan, amounts: dict[int, int]) -> None:
    for year, amount in amounts.items():
        NationalTarget.objects.create(national_plan=national, year=year, amount=amount)


COUNTRIES = ["DE", "CN", "FR", "IT", "ES", "PL", "AT", "CH", "NL", "BE", "SE", "DK", "NO"]
COUNTRIES += ["FI", "CZ", "HU", "PT", "GR", "IE", "RO", "US", "CA", "MX", "BR", "JP"]


def grow(world: World, start: int, n: int) -> None:
    """n more countries with an NKAM and a national plan, and n more rows in Germany's."""
    germany, _created = NationalPlan.objects.get_or_create(plan=world.plan, country="DE")
    served = world.plan.objectives.get()
    for i in range(start, start + n):
        country = COUNTRIES[i]
        add_nkam(world, f"nkam-{country.lower()}", country)
        national, _created = NationalPlan.objects.get_or_create(
            plan=world.plan,
            country=country,
            defaults={"follows_framework": i % 2 == 0, "exception_reason": "Own prices"},
        )
        set_targets(national, {2026: 1000 + i})
        NationalObjective.objects.create(national_plan=national, text=f"Goal {i}", serves=served)
        germany.potentials.create(description=f"Potential {i}", year=2026, estimated_value=i)
        germany.objectives.create(text=f"Objective {i}", serves=served if i % 2 else None)
