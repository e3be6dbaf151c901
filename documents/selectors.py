"""Reads of account documents, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from accounts.access import AccountAccess
from accounts.models import AccountTeamMember
from accounts.models.accounts import IS_LEAD
from documents.access import sees_core_documents
from documents.models import Document, DocumentCategory, DocumentFile, Visibility


def visible_documents(access: AccountAccess) -> QuerySet[Document]:
    """The account's documents the viewer may open, archived ones included."""
    documents = access.account.documents.all()
    if not sees_core_documents(access):
        documents = documents.filter(
            Q(visibility=Visibility.TEAM) | Q(created_by_id=access.user.pk)
        )
    return documents


def with_latest_file(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Each document's category, author and versions (newest first) in three queries."""
    return documents.select_related("category", "created_by").prefetch_related(
        Prefetch(
            "files",
            queryset=DocumentFile.objects.order_by("-number").select_related("uploaded_by"),
        )
    )


def categories_in_use(documents: QuerySet[Document]) -> QuerySet[DocumentCategory]:
    return DocumentCategory.objects.filter(pk__in=documents.values("category_id")).order_by(
        "order", "name_en"
    )


def visible_to_person(user_id: int, *, manager: bool) -> Q:
    """The documents the person `user_id` may open, in any account: the rule of
    visible_documents for a query over many accounts (search, whose kept query
    takes the id and the role: core.prepared). Managers: all; a member: the
    documents for the whole team of their accounts, and the core ones of the
    accounts where they are on the core team or lead, and their own."""
    if manager:
        return Q()
    seats = AccountTeamMember.objects.active().filter(user_id=user_id)
    core = seats.filter(Q(team=AccountTeamMember.Team.CORE) | IS_LEAD)
    return Q(account_id__in=seats.values("account_id")) & (
        Q(visibility=Visibility.TEAM)
        | Q(created_by_id=user_id)
        | Q(account_id__in=core.values("account_id"))
    )
