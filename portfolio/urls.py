from django.urls import path

from portfolio import review_views, views

app_name = "portfolio"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("matrix/", views.matrix, name="matrix"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.csv", views.export_csv, name="export_csv"),
]

# Under accounts/<slug>/, in the "accounts" namespace (workspace.urls).
account_urlpatterns = [
    path("<slug:slug>/plans/<int:plan_id>/review/", views.plan_review, name="plan_review"),
    path("<slug:slug>/health/", views.account_health, name="health"),
    path(
        "<slug:slug>/plans/<int:plan_id>/reviews/<int:pk>/read/",
        review_views.review_read,
        name="review_read",
    ),
]
