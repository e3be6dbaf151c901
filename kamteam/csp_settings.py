"""The Content-Security-Policy (django-csp) kamteam/settings.py sets.

Content-Security-Policy (django-csp): everything from our own origin only.
No inline or eval'd script: the templates load only <script src> files, and
htmx runs with allowEval off and its inline indicator <style> disabled
(templates/base.html, htmx-config). Inline style *attributes* stay allowed,
since chart bars carry computed widths (style-src-attr); <style> elements
and stylesheets must come from us (style-src-elem). style-src keeps
'unsafe-inline' only as the fallback for browsers without CSP level 3;
browsers that know style-src-elem ignore it for elements.
"""

from __future__ import annotations

from typing import Any


def content_security_policy(*, form_action: list[str]) -> dict[str, Any]:
    """The policy; `form_action`: origins beyond our own a form's answer may lead to
    (the single sign-on provider's logout)."""
    policy = {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "style-src-elem": ["'self'"],
            "style-src-attr": ["'unsafe-inline'"],
            "img-src": ["'self'", "data:"],  # Bootstrap draws icons as data: SVGs in CSS
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "form-action": ["'self'"],
            "base-uri": ["'self'"],
            "frame-ancestors": ["'none'"],
            "object-src": ["'none'"],
        },
    }
    policy["DIRECTIVES"]["form-action"] += form_action
    return policy
