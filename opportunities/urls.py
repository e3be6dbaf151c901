from django.urls import include, path

from opportunities import views

app_name = "opportunities"

# One account's opportunities, under /accounts/<slug>/opportunities/
account_urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_form, name="create"),
    path("<int:pk>/edit/", views.opportunity_form, name="edit"),
    path("<int:pk>/close/", views.opportunity_close, name="close"),
    path("<int:pk>/delete/", views.opportunity_delete, name="delete"),
]

urlpatterns = [
    path("accounts/<slug:slug>/opportunities/", include(account_urlpatterns)),
]
