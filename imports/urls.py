from django.urls import include, path

from imports import account_views, views

app_name = "imports"


def _patterns(kind: str, prefix: str) -> list:
    """One kind's pages; the contacts' names came first and keep no prefix."""
    extra = {"kind": kind}
    return [
        path("", views.import_upload, extra, name=kind),
        path("template.xlsx", views.template_file, extra, name=f"{kind}_template"),
        path("<int:pk>/", views.import_preview, extra, name=f"{prefix}preview"),
        path("<int:pk>/progress/", views.import_progress, extra, name=f"{kind}_progress"),
    ]


urlpatterns = [
    # Key accounts from a spreadsheet (managers); the JSON export's import is beside it.
    path("accounts/new/spreadsheet/", account_views.accounts_upload, name="accounts"),
    path(
        "accounts/new/spreadsheet/template.xlsx",
        account_views.accounts_template,
        name="accounts_template",
    ),
    path(
        "accounts/new/spreadsheet/<int:pk>/",
        account_views.accounts_preview,
        name="accounts_preview",
    ),
    path("accounts/<slug:slug>/contacts/import/", include(_patterns("contacts", ""))),
    path("accounts/<slug:slug>/team/import/", include(_patterns("team", "team_"))),
    path("accounts/<slug:slug>/revenue/import/", include(_patterns("revenue", "revenue_"))),
]
