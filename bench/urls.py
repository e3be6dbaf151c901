"""The app's URLs plus the benchmark's reference page (`/bench/bare/`).

The bare page is what every first render is compared with: one query (50
colleagues) and a 50-row table through the base template, behind the same
middleware (session, login, CSP, request id, metrics) as every page. It
lives here, not in kamteam.urls: production has no such page.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from kamteam.urls import urlpatterns as app_urlpatterns
from users.models import User


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    people = User.objects.order_by("pk").values_list("username", "first_name", "last_name")
    return render(request, "bench/bare.html", {"people": list(people[:50])})


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]
