"""`manage.py send_reminders`: remind owners of the touchpoints dated tomorrow.

The scheduler runs it every morning (`manage.py run_scheduled`); running it
again the same day reminds nobody twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from touchpoints.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind the owners of planned touchpoints dated tomorrow (once per touchpoint and day)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_reminders()
        self.stdout.write(f"Touchpoints dated tomorrow, owners reminded: {count}")
