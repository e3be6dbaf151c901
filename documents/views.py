"""The Documents tab: files and links of the account, their versions, downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import AccountAccess, account_access
from core.concurrency import save_or_form_error
from core.pages import confirm_action_page, form_page, save_form_page, workspace_page
from core.uploads import announced_too_large, refuse_unread
from documents import access as rules
from documents import selectors, services
from documents.files import too_large_message
from documents.forms import DocumentForm, VersionUploadForm
from documents.models import Document

TAB = "documents"
PAGE_SIZE = 25


def _list_url(slug: str) -> str:
    return reverse("documents:list", args=[slug])


def _document(access: AccountAccess, pk: int) -> Document:
    """A document the viewer may see; another account's, or a core one for an extended
    member, is a 404."""
    documents = selectors.with_latest_file(selectors.visible_documents(access))
    return get_object_or_404(documents, pk=pk)


def _refused(form, request: HttpRequest, access: AccountAccess, **page) -> HttpResponse:  # type: ignore[no-untyped-def]
    """The empty form, its file field saying why: the body was not parsed, so nothing
    the person typed can be shown again."""
    refuse_unread(form, "file", too_large_message(settings.DOCUMENTS_MAX_BYTES))
    return form_page(request, access, form, tab=TAB, status=413, **page)


@require_safe
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    visible = selectors.visible_documents(access)
    archived = request.GET.get("archived") == "1"
    documents = visible.archived() if archived else visible.current()
    categories = list(selectors.categories_in_use(documents))
    category = request.GET.get("category", "")
    chosen = next((c for c in categories if str(c.pk) == category), None)
    if chosen is not None:
        documents = documents.filter(category=chosen)
    rows = selectors.with_latest_file(documents.order_by("category__order", "title", "pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for document in page.object_list:
        document.can_change = rules.can_change(access, document)
    query = request.GET.copy()
    query.pop("page", None)
    return workspace_page(
        request,
        access,
        "documents/list.html",
        TAB,
        page=page,
        page_query=query.urlencode(),
        categories=categories,
        chosen=chosen,
        archived=archived,
        archived_count=visible.archived().count() if not archived else None,
        can_add=rules.can_add(access),
    )


@require_safe
def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    document = _document(access, pk)
    return workspace_page(
        request,
        access,
        "documents/detail.html",
        TAB,
        document=document,
        versions=list(document.files.all()),
        can_change=rules.can_change(access, document),
        max_bytes=settings.DOCUMENTS_MAX_BYTES,
    )


def document_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug)
    if pk is None:
        rules.require_add(access)
        document = None
    else:
        document = _document(access, pk)
        rules.require_change(access, document)
    page = {
        "title": _("Edit “%(title)s”") % {"title": document.title}
        if document
        else _("Add a document"),
        "cancel_url": document.get_absolute_url() if document else _list_url(slug),
        "submit": None if document else _("Add"),
    }
    if document is None and announced_too_large(request, settings.DOCUMENTS_MAX_BYTES):
        return _refused(DocumentForm(account=access.account), request, access, **page)
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, account=access.account
    )
    return save_form_page(
        request,
        access,
        form,
        save=lambda: services.document_save(
            document=form.save(commit=False),
            expected_version=form.expected_version,
            upload=form.cleaned_data.get("file"),
            actor=request.user,
        ),
        saved=_("Document saved.") if document else _("Document added for the team."),
        next_url=lambda saved: saved.get_absolute_url(),
        tab=TAB,
        **page,
    )


def document_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new version of a file document."""
    access = account_access(request.user, slug)
    document = _document(access, pk)
    rules.require_change(access, document)
    if document.kind != Document.Kind.FILE or document.is_archived:
        return HttpResponseRedirect(document.get_absolute_url())
    page = {
        "title": _("New version of “%(title)s”") % {"title": document.title},
        "cancel_url": document.get_absolute_url(),
        "submit": _("Upload"),
    }
    if announced_too_large(request, settings.DOCUMENTS_MAX_BYTES):
        return _refused(VersionUploadForm(), request, access, **page)
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = save_or_form_error(
            form,
            lambda: services.document_add_version(
                document=document, upload=form.cleaned_data["file"], actor=request.user
            ),
        )
        if version is not None:
            messages.success(
                request, _("Version %(number)s uploaded.") % {"number": version.number}
            )
            return HttpResponseRedirect(document.get_absolute_url())
    return form_page(request, access, form, tab=TAB, **page)


@require_safe
def document_download(request: HttpRequest, slug: str, pk: int, file_pk: int) -> HttpResponse:
    """A version's file, for those who may see the document; never by a public address.

    Downloaded as an attachment, except a PDF or an image asked for with ?preview=1.
    Behind nginx (DOCUMENTS_X_ACCEL_REDIRECT) nginx sends the file.
    """
    access = account_access(request.user, slug)
    document = _document(access, pk)
    version = get_object_or_404(document.files.all(), pk=file_pk)
    inline = request.GET.get("preview") == "1" and version.previews_inline
    if settings.DOCUMENTS_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=version.content_type)
        response["X-Accel-Redirect"] = settings.DOCUMENTS_X_ACCEL_REDIRECT + quote(
            version.file.name
        )
    else:
        response = FileResponse(version.file.open("rb"), content_type=version.content_type)
        response["Content-Length"] = str(version.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=version.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    if inline and version.content_type == "application/pdf":
        # The browser's PDF viewer is a plugin, which the site's policy (object-src
        # 'none') would block; nothing else of the file may load or run.
        response["Content-Security-Policy"] = (
            "default-src 'none'; object-src 'self'; frame-ancestors 'none'"
        )
    return response


def document_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    document = _document(access, pk)
    rules.require_change(access, document)
    if document.is_archived:
        return HttpResponseRedirect(document.get_absolute_url())
    return confirm_action_page(
        request,
        access,
        action=lambda: services.document_archive(document=document),
        done=_("Document archived. It can be restored from the archived documents."),
        next_url=_list_url(slug),
        title=_("Archive “%(title)s”?") % {"title": document.title},
        message=_(
            "The document leaves the team's list; its files and versions are kept, and you "
            "or a lead can restore it from the archived documents."
        ),
        submit=_("Archive"),
        cancel_url=document.get_absolute_url(),
        tab=TAB,
    )


def document_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    document = _document(access, pk)
    rules.require_change(access, document)
    if not document.is_archived:
        return HttpResponseRedirect(document.get_absolute_url())
    return confirm_action_page(
        request,
        access,
        action=lambda: services.document_restore(document=document),
        done=_("Document restored."),
        next_url=document.get_absolute_url(),
        title=_("Restore “%(title)s”?") % {"title": document.title},
        message=_("The document returns to the team's list, with all its versions."),
        submit=_("Restore"),
        cancel_url=document.get_absolute_url(),
        tab=TAB,
        danger=False,
    )
