from django.urls import path

from api import views

app_name = "tokens"

urlpatterns = [
    path("me/api-tokens/", views.token_list, name="list"),
    path("me/api-tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
