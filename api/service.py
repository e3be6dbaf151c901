"""The REST API's frame: authentication, rate limit, errors, pagination.

Built on django-ninja (README, "The REST API"): typed schemas give the
OpenAPI 3 document and the docs page; the routes stay thin and call the same
access helpers and services as the pages, so the rules cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle
from pydantic import Field

from api import tokens
from api.models import ApiToken


class StrictJson(Parser):
    """JSON bodies without NUL characters, which PostgreSQL cannot store or compare:
    refused whole (400, as any body that cannot be read) before a lookup meets them."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        waiting = [data]
        while waiting:
            item = waiting.pop()
            if isinstance(item, str) and "\x00" in item:
                raise ValueError("a NUL character in the body")
            if isinstance(item, dict):
                waiting.extend(item.keys())
                waiting.extend(item.values())
            elif isinstance(item, list):
                waiting.extend(item)
        return data


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kt_…`: a personal token acts with its owner's rights."""

    openapi_description = "A personal API token, created in your profile (API tokens)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        row = tokens.authenticate(token)
        if row is not None:
            # The same person for every rule, and for the history of what they change.
            request.user = row.user
        return row


class BrowserSession(SessionAuth):
    """The signed-in browser, for trying the API from the docs page (CSRF on writes)."""

    openapi_description = "The session of a browser signed in to kamteam."


class PerCaller(SimpleRateThrottle):
    """API_RATE_PER_MINUTE per token, or per person for a browser session."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(self._rate())

    @staticmethod
    def _rate() -> str:
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def allow_request(self, request: HttpRequest) -> bool:
        # The setting as it is now (it may differ from when the module was loaded).
        self.num_requests, self.duration = self.parse_rate(self._rate())
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        ident = f"token-{auth.pk}" if isinstance(auth, ApiToken) else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PageInput(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int | None = Field(None, ge=1, le=500)


class Pages(PageNumberPagination):
    """Every list: ?page= and ?page_size= (up to 500), with the total count."""

    Input = PageInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=settings.API_PAGE_SIZE, max_page_size=500, **kwargs)


api = NinjaAPI(
    title="kamteam API",
    version="1",
    description=(
        "Key accounts, their teams and customer contacts, with exactly the rights of the "
        "person the token belongs to: accounts you may not open answer 404, changes you "
        "may not make 403. Every change carries the `version` it was read at; a change "
        "made meanwhile by someone else answers 409."
    ),
    urls_namespace="api",
    parser=StrictJson(),
    auth=[TokenAuth(), BrowserSession()],
    throttle=[PerCaller()],
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Sign in, or send a personal API token: Authorization: Bearer kt_…")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response
