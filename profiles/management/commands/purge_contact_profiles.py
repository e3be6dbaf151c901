"""Erase the profiles of customer contacts archived longer ago than the retention period.

Run it daily (cron or a systemd timer); see README, "Profiles and privacy".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from profiles.services import contact_profiles_past_retention, profile_erase


class Command(BaseCommand):
    help = (
        "Erase (history included) the profiles of customer contacts archived more than "
        "CONTACT_PROFILE_RETENTION_MONTHS ago."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be erased, erase nothing"
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        months = settings.CONTACT_PROFILE_RETENTION_MONTHS
        profiles = list(contact_profiles_past_retention())
        verb = "Would erase" if dry_run else "Erased"
        for profile in profiles:
            contact = profile.contact
            if not dry_run:
                profile_erase(profile=profile)
            self.stdout.write(
                f"{verb} the profile of contact {contact.pk} ({contact.full_name}, "
                f"{contact.account.name}), archived {contact.archived_at:%Y-%m-%d}."
            )
        summary = (
            f"{verb} {len(profiles)} contact profile(s) archived more than {months} months ago"
            + ("." if dry_run else ", history included.")
        )
        self.stdout.write(self.style.SUCCESS(summary) if profiles and not dry_run else summary)
