from django.urls import path

from coaching import views

app_name = "coaching"

# Included under accounts/<slug>/coaching/.
urlpatterns = [
    path("", views.page, name="page"),
    path("new/", views.check_create, name="check_create"),
    path("thanks/new/", views.thanks_create, name="thanks_create"),
]
