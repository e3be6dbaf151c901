"""The account workspace's URLs: every app's account pages under accounts/<slug>/.

Each app exports the patterns of its own account pages; they are joined here
under one namespace ("accounts"), so a page's name does not depend on which
app serves it. A new tab plugs in by adding its app's list below.
"""

from django.urls import path, re_path

from accounts import urls as account_urls
from portfolio import urls as portfolio_urls
from profiles import urls as profile_urls
from workspace import account_import_views, export_views, history_views, print_views, views

app_name = "accounts"

urlpatterns = [
    # "new" is no account's address (accounts.forms.RESERVED_SLUGS).
    path("new/import/", account_import_views.account_import, name="account_import"),
    path(
        "new/import/confirm/",
        account_import_views.account_import_confirm,
        name="account_import_confirm",
    ),
    path(
        "new/import/progress/",
        account_import_views.account_import_progress,
        name="account_import_progress",
    ),
    path(
        "new/import/discard/",
        account_import_views.account_import_discard,
        name="account_import_discard",
    ),
    *account_urls.urlpatterns,
    path("<slug:slug>/", views.account_detail, name="detail"),
    path("<slug:slug>/history/", history_views.account_history, name="history"),
    path("<slug:slug>/plan/print/", print_views.plan_print, name="plan_print"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/contacts/", views.contacts, name="contacts"),
    path("<slug:slug>/contacts/tree/", views.contact_tree, name="contact_tree"),
    path("<slug:slug>/contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path(
        "<slug:slug>/contacts/<int:pk>/export/",
        export_views.contact_export,
        name="contact_export",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/export\.(?P<fmt>xlsx|json)$",
        export_views.account_export,
        name="account_export",
    ),
    *profile_urls.account_urlpatterns,
    *portfolio_urls.account_urlpatterns,
]
