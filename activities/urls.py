from django.urls import include, path

from activities import views

app_name = "activities"

# One account's activities, under /accounts/<slug>/activities/
account_urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_form, name="create"),
    path("<int:pk>/edit/", views.activity_form, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
]

urlpatterns = [
    path("accounts/<slug:slug>/activities/", include(account_urlpatterns)),
]
