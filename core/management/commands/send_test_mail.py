"""`manage.py send_test_mail you@example.com`: check the mail settings end to end."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from core import mail

SUBJECT = _("kamteam test mail")


class Command(BaseCommand):
    help = (
        "Send a test mail (plain text and HTML) the way kamteam sends every mail: "
        "through the task worker, or at once with --now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("to", nargs="+", help="recipient address(es)")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="send from this process and show the mail server's error, instead of queueing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        message = {
            "to": options["to"],
            "subject": SUBJECT,
            "template": "email/test_mail",
            "context": {},
            "language": options["language"],
        }
        try:
            if options["now"]:
                mail.send_now(**message)
                self.stdout.write(f"Sent to {', '.join(options['to'])} via {settings.EMAIL_HOST}.")
                return
            mail.send_later(**message)  # outside a transaction: queued at once
        except ValueError as error:
            raise CommandError(str(error)) from error
        except (smtplib.SMTPException, OSError) as error:
            raise CommandError(
                f"The mail server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} refused: {error!r}"
            ) from error
        self.stdout.write(
            f"Queued for {', '.join(options['to'])}: the task worker sends it "
            f"(KAMTEAM_TASKS={settings.KAMTEAM_TASKS})."
        )
