"""Project-wide views that belong to no single app: the health and readiness checks.

Both are public (a load balancer cannot log in), never cached, answered over
plain HTTP too (SECURE_REDIRECT_EXEMPT) and left out of the slow-request log.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.observability import probe

# Seconds Redis may take to answer the readiness check's PING.
REDIS_TIMEOUT = 1.0


@probe
@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Tell a load balancer whether this instance can reach its database."""
    if not _database_answers():
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@probe
@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Tell whether everything this instance needs answers: the database, and Redis if set.

    The answer names what failed ("redis unavailable"), never an address or
    a password.
    """
    failed = [] if _database_answers() else ["database"]
    if settings.REDIS_URL and not _redis_answers(settings.REDIS_URL):
        failed.append("redis")
    if failed:
        message = ", ".join(f"{name} unavailable" for name in failed)
        return HttpResponse(message, status=503, content_type="text/plain")
    return HttpResponse("ready", content_type="text/plain")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _redis_answers(url: str) -> bool:
    import redis  # installed with the RQ backend; imported only where Redis is configured

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
