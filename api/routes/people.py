"""Colleagues (read): yourself, and the directory of people who can sign in."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from api import schemas
from api.service import Pages
from users.pickers import active_people

router = Router(tags=["People"])


@router.get("/me/", response=schemas.Person, url_name="me")
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Whom the token (or session) acts for."""
    return request.user


@router.get("/users/", response=list[schemas.Person], url_name="users")
@paginate(Pages)
def list_users(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Everyone who can sign in, by name: the company directory's people."""
    return active_people()
