from django.urls import include, path

from actions import views

app_name = "actions"

account_urlpatterns = [
    path("objectives/<int:objective_id>/actions/new/", views.action_create, name="create"),
    path(
        "national-objectives/<int:objective_id>/actions/new/",
        views.national_action_create,
        name="national_create",
    ),
    path("actions/<int:pk>/edit/", views.action_edit, name="edit"),
    path("actions/<int:pk>/delete/", views.action_delete, name="delete"),
    path("actions/<int:pk>/done/", views.action_done, name="done"),
]

urlpatterns = [
    path("accounts/<slug:slug>/", include(account_urlpatterns)),
]
