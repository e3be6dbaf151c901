"""Django's database sessions, read with a kept query (core.prepared).

Every request of a logged-in person reads its session first; Django builds
and compiles that query anew each time. The rows, the table and what an
expired or unknown key does are Django's own: only the read is kept.
"""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from core.prepared import prepared


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is None:
            return super()._get_session_from_db()
        found = _unexpired.first(key, timezone.now())
        if found is None:
            self._session_key = None  # as Django does for a key it does not know
        return found


@prepared
def _unexpired(session_key: str, now: datetime.datetime) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:1]
