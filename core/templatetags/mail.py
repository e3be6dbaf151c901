"""Absolute links for e-mails, which are read far from any request (core.mail)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from core.mail import absolute_url

register = template.Library()


@register.simple_tag
def mail_url(name: str, *args: Any, **kwargs: Any) -> str:
    """Like {% url %}, starting with KAMTEAM_BASE_URL: {% mail_url "my_touchpoints" %}."""
    return absolute_url(reverse(name, args=args or None, kwargs=kwargs or None))


@register.filter
def absolute(location: str) -> str:
    """A path ("/accounts/x/") as an absolute link; an absolute URL stays as it is."""
    return absolute_url(str(location))
