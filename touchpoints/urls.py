from django.urls import include, path

from touchpoints.views import feeds, plan, relationships, rhythm

app_name = "touchpoints"

account_urlpatterns = [
    path("", plan.grid, name="grid"),
    path("print/", plan.print_view, name="print"),
    path("export.xlsx", plan.export_xlsx, name="export_xlsx"),
    path("calendar.ics", feeds.account_ics, name="account_ics"),
    path("new/", plan.touchpoint_form, name="create"),
    path("<int:pk>/edit/", plan.touchpoint_form, name="edit"),
    path("<int:pk>/delete/", plan.touchpoint_delete, name="delete"),
    path("<int:pk>/done/", plan.touchpoint_done, name="done"),
    path("roll-forward/", plan.roll_forward, name="roll_forward"),
    path("relationships/", relationships.relationships, name="relationships"),
    path("relationships/new/", relationships.relationship_form, name="relationship_create"),
    path("relationships/<int:pk>/edit/", relationships.relationship_form, name="relationship_edit"),
    path(
        "relationships/<int:pk>/delete/",
        relationships.relationship_delete,
        name="relationship_delete",
    ),
    path("rhythm/", rhythm.rhythm, name="rhythm"),
    path("rhythm/new/", rhythm.meeting_form, name="meeting_create"),
    path("rhythm/<int:pk>/edit/", rhythm.meeting_form, name="meeting_edit"),
    path("rhythm/<int:pk>/delete/", rhythm.meeting_delete, name="meeting_delete"),
]

urlpatterns = [
    path("accounts/<slug:slug>/touchpoints/", include(account_urlpatterns)),
]
