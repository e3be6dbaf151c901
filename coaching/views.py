"""The coaching tab: the lead's self-check and the appreciation log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import AccountAccess, account_access
from coaching import selectors, services
from coaching.forms import AppreciationForm, CoachingCheckForm
from coaching.models import APPRECIATION_REMINDER_DAYS, CoachingQuestion
from core.pages import form_page, form_status, workspace_page
from core.params import int_param


def _page_url(access: AccountAccess) -> str:
    return reverse("coaching:page", args=[access.account.slug])


@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    access.require_coaching()
    questions, checks = selectors.coaching_history(access.account)
    thanks = selectors.appreciation_status(access.account, exclude_user_id=request.user.pk)
    return workspace_page(
        request,
        access,
        "coaching/page.html",
        "coaching",
        questions=questions,
        checks=checks,
        thanks=thanks,
        thanks_due=[t for t in thanks if t.is_due],
        recent=selectors.recent_appreciations(access.account),
        reminder_days=APPRECIATION_REMINDER_DAYS,
    )


def check_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    form = CoachingCheckForm(
        request.POST or None,
        questions=list(CoachingQuestion.objects.filter(is_active=True)),
        previous=selectors.previous_answers(access.account),
    )
    if request.method == "POST" and form.is_valid():
        check = services.coaching_check_create(
            account=access.account,
            by=request.user,
            answered_on=form.cleaned_data["answered_on"],
            answers=form.answers(),
        )
        if check is None:
            messages.info(
                request,
                _(
                    "Your answers are the same as last time, so no new self-check was stored. "
                    "Change an answer to record a new one."
                ),
            )
        else:
            messages.success(request, _("Your self-check is saved. Earlier answers stay below."))
        return redirect(_page_url(access))
    return workspace_page(
        request,
        access,
        "coaching/check_form.html",
        "coaching",
        form=form,
        status=form_status(form),
    )


def thanks_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    initial = {}
    member_id = int_param(request.GET.get("member"))
    if member_id is not None:
        initial["member"] = member_id
    form = AppreciationForm(
        request.POST or None, account=access.account, by=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        appreciation = form.save(commit=False)
        appreciation.recorded_by = request.user
        appreciation.save()
        messages.success(
            request,
            _("Noted: you thanked %(name)s.") % {"name": appreciation.member.user.display_name},
        )
        return redirect(_page_url(access))
    return form_page(
        request,
        access,
        form,
        title=_("Record a thank-you"),
        cancel_url=_page_url(access),
        tab="coaching",
    )
