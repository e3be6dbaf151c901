"""Server errors mailed to ADMINS through the task worker, never from inside the request.

Django's AdminEmailHandler talks to the mail relay while the 500 page waits:
a relay that is down costs each error up to EMAIL_TIMEOUT seconds, and
during an outage that fails every page, the workers all wait on the relay
and errors become a site outage. This handler hands the report to
core.mail.send_later instead: the task worker sends it, with the retries
every mail gets. Its subject names the status, the exception's class, the
view and the request id, never the path or the message, which may hold a
person's name or search words; the body is Django's error report (settings
and secrets masked by its SafeExceptionReporterFilter), for the people in
ADMINS only.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.utils.log import AdminEmailHandler

from core.observability import current_request_id

# Set while a report is being queued: an error logged on the way (the queue
# is down) must not queue another report about itself.
_queueing: ContextVar[bool] = ContextVar("queueing_error_mail", default=False)


class ErrorMailHandler(AdminEmailHandler):
    """LOGGING handler for "django.request": mail each server error to ADMINS, later."""

    def emit(self, record: logging.LogRecord) -> None:
        recipients = admin_addresses()
        if not recipients or _queueing.get():
            return
        token = _queueing.set(True)
        try:
            self._queue(record, recipients)
        except Exception:
            self.handleError(record)  # to stderr; the error page must still go out
        finally:
            _queueing.reset(token)

    def _queue(self, record: logging.LogRecord, recipients: list[str]) -> None:
        from core.mail import send_later  # not at import: LOGGING loads before the apps

        request = getattr(record, "request", None)
        exc_info = record.exc_info or (None, record.getMessage(), None)
        reporter = self.reporter_class(request, *exc_info, is_email=True)
        request_id = current_request_id()
        send_later(
            to=recipients,
            subject=error_subject(record, request_id),
            template="email/error_report",
            context={"request_id": request_id, "report": reporter.get_traceback_text()},
            sender=settings.SERVER_EMAIL,
        )


def admin_addresses() -> list[str]:
    """The addresses of ADMINS: (name, address) pairs, or plain addresses."""
    return [entry if isinstance(entry, str) else entry[1] for entry in settings.ADMINS]


def error_subject(record: logging.LogRecord, request_id: str) -> str:
    """ "[kamteam] ERROR 500 ValueError in people:detail (request 3f2a...)": no path, no message."""
    parts = [record.levelname]
    status = getattr(record, "status_code", None)
    if status:
        parts.append(str(status))
    failed = record.exc_info[0] if record.exc_info else None
    parts.append(failed.__name__ if failed else record.name)
    view = _view_name(getattr(record, "request", None))
    if view:
        parts.append(f"in {view}")
    return f"{settings.EMAIL_SUBJECT_PREFIX}{' '.join(parts)} (request {request_id})"


def _view_name(request: Any) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "") if match else ""
