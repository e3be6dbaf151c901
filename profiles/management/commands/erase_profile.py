"""Erase a person's profile data, leaving no trace in the history tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from profiles.models import Profile
from profiles.services import profile_erase


class Command(BaseCommand):
    help = "Erase the profile (colours, motives, goals, bonus, notes) of a colleague or contact."

    def add_arguments(self, parser: Any) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="username of the colleague")
        who.add_argument("--contact", type=int, help="id of the customer contact")

    def handle(self, *args: Any, user: str | None, contact: int | None, **options: Any) -> None:
        if user:
            profile = Profile.objects.filter(user__username=user).first()
            who = f"user {user}"
        else:
            profile = Profile.objects.filter(contact_id=contact).first()
            who = f"contact {contact}"
        if profile is None:
            raise CommandError(f"No profile stored for {who}.")
        profile_erase(profile=profile)
        self.stdout.write(self.style.SUCCESS(f"Profile of {who} erased, history included."))
