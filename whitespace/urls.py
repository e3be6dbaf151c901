from django.urls import include, path

from whitespace import views

app_name = "whitespace"

# The map of one account, under /accounts/<slug>/whitespace/
account_urlpatterns = [
    path("", views.map_page, name="map"),
    path("cells/<int:unit_id>/<int:offering_id>/", views.cell_edit, name="cell"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]

urlpatterns = [
    path("accounts/<slug:slug>/whitespace/", include(account_urlpatterns)),
]
