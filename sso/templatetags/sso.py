"""The "Sign in with …" button of the login page, shown only when single sign-on is configured."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("sso/_sign_in_button.html")
def sso_sign_in_button(next_url: str = "") -> dict[str, Any]:
    return {
        "enabled": settings.OIDC_ENABLED,
        "provider_name": settings.OIDC_PROVIDER_NAME,
        "next_url": next_url,
    }
