"""Build the handbook's example as demo data. Safe to run again.

Each app seeds its own part (its `demo` module); this command only runs them
in layer order, inside one transaction, and hands on what the next step needs.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from accounts.demo import accounts_demo
from actions.demo import actions_demo
from activities.demo import activities_demo
from activities.services import sync_all_done
from coaching.demo import coaching_demo
from comments.demo import comments_demo
from documents.demo import documents_demo
from news.demo import news_demo
from opportunities.demo import opportunities_demo
from portfolio.demo import USERS as PORTFOLIO_USERS
from portfolio.demo import portfolio_demo
from profiles.demo import profiles_demo
from raci.demo import raci_demo
from touchpoints.demo import touchpoints_demo
from whitespace.demo import whitespace_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data: the handbook's key account example."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--password", default="demo", help="Password for every demo user (default: demo)."
        )
        # `make run` passes the address it serves on (PORT=8123 make run), so
        # the message names the server the user can actually reach.
        parser.add_argument(
            "--url",
            default=None,
            help="Address to log in at (default: http://127.0.0.1:$PORT/, PORT 8000 if unset).",
        )

        # The examples are written in one language; running the demo again in
        # the other rewrites the same rows in it (core.demo).
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the demo texts (default: LANGUAGE_CODE, now %(default)s).",
        )

    @transaction.atomic
    def handle(
        self,
        *args: Any,
        password: str,
        url: str | None = None,
        language: str = "",
        **options: Any,
    ) -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            self._seed(password)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        address = url or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
        self.stdout.write(
            f"Log in at {address} as kam, nkam, innendienst, manager, outsider "
            f"or admin, password: {password}"
        )

    def _seed(self, password: str) -> None:
        # The portfolio's users are created up front with everyone else, so they
        # share the password and every step can look them up by username.
        demo = accounts_demo(password=password, extra_users=PORTFOLIO_USERS)
        profiles_demo(users=demo.users, account=demo.nordstern, contacts=demo.contacts)
        actions_demo(account=demo.nordstern, team=demo.team, contacts=demo.contacts)
        raci_demo(account=demo.nordstern, roles=demo.roles, participants=list(demo.team.values()))
        touchpoints_demo(account=demo.nordstern, team=demo.team, contacts=demo.contacts)
        whitespace_demo(account=demo.nordstern)
        opportunities_demo(account=demo.nordstern, team=demo.team)
        news_demo(account=demo.nordstern, team=demo.team, contacts=demo.contacts)
        documents_demo(account=demo.nordstern, team=demo.team)
        comments_demo(account=demo.nordstern, team=demo.team)
        activities_demo(account=demo.nordstern, team=demo.team, contacts=demo.contacts)
        portfolio_demo(users=demo.users, roles=demo.roles, buying=demo.buying)
        # The other accounts' done touchpoints have their activities now, not when a
        # task worker first runs (activities.tasks).
        sync_all_done()
        coaching_demo(account=demo.nordstern, team=demo.team, lead=demo.users["kam"])
