"""Unsubscribing from a mail by its link: no login, one click (RFC 8058).

The link's signed token names the person and what to turn off (one kind of
notification e-mail, or the weekly digest: notifications.emails). Opening it
asks first; the mail program's one-click POST, or the button, does it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.emails import DIGEST, read_unsubscribe_token, unsubscribe
from notifications.kinds import Kind
from users.models import User


@login_not_required
# Mail programs send the one-click POST without a CSRF token; the signed token
# is the permission, and all it can do is send its owner less mail.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if found is None or user is None:
        raise Http404(_("This unsubscribe link is not valid. Change your e-mails in kamteam."))
    what = found[1]
    if what == DIGEST:
        subject = _("the weekly digest")
    else:
        subject = _("e-mails about “%(kind)s”") % {"kind": Kind(what).label}
    done = request.method == "POST"
    if done:
        unsubscribe(user.pk, what)
    return render(
        request,
        "workspace/unsubscribe.html",
        {"done": done, "subject": subject, "is_digest": what == DIGEST},
    )
