from django.urls import include, path

from touchpoints import views

app_name = "touchpoints"

account_urlpatterns = [
    path("", views.grid, name="grid"),
    path("print/", views.print_view, name="print"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("calendar.ics", views.account_ics, name="account_ics"),
    path("new/", views.touchpoint_form, name="create"),
    path("<int:pk>/edit/", views.touchpoint_form, name="edit"),
    path("<int:pk>/delete/", views.touchpoint_delete, name="delete"),
    path("<int:pk>/done/", views.touchpoint_done, name="done"),
    path("roll-forward/", views.roll_forward, name="roll_forward"),
    path("relationships/", views.relationships, name="relationships"),
    path("relationships/new/", views.relationship_form, name="relationship_create"),
    path("relationships/<int:pk>/edit/", views.relationship_form, name="relationship_edit"),
    path("relationships/<int:pk>/delete/", views.relationship_delete, name="relationship_delete"),
    path("rhythm/", views.rhythm, name="rhythm"),
    path("rhythm/new/", views.meeting_form, name="meeting_create"),
    path("rhythm/<int:pk>/edit/", views.meeting_form, name="meeting_edit"),
    path("rhythm/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
]

urlpatterns = [
    path("accounts/<slug:slug>/touchpoints/", include(account_urlpatterns)),
]
