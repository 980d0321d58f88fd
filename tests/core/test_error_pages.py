"""The platform's own error pages, in every mode: translated, with the site's header and
navigation, the person's low-vision settings and what to do next. With DEBUG on they
replace Django's technical pages unless the developer asks for those (DEBUG_ERROR_PAGES)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from tendik.core.display import SESSION_KEY as DISPLAY_SESSION_KEY
from tendik.core.models import Role
from tests.conftest import sign_in

pytestmark = pytest.mark.urls("tests.core.error_urls")


def assert_platform_page(response, status: int, heading: str, language: str = "ru") -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}"' in body
    assert 'class="site-header"' in body and 'class="site-nav"' in body
    with translation.override(language):
        assert f"<h1>{translation.gettext(heading)}</h1>" in body
    assert 'id="next-steps-title"' in body and 'href="/' + language + '/"' in body
    assert "internal detail" not in body and "Traceback" not in body
    assert "URLconf" not in body
    return body


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def mode(request, settings) -> bool:
    settings.DEBUG = request.param
    return request.param


@pytest.mark.django_db
def test_a_missing_page_is_the_platforms_own(reference, mode):
    client = Client()
    assert_platform_page(client.get("/ru/no-such-page/"), 404, "Page not found")
    assert_platform_page(client.get("/kk/plan/measures/9999/"), 404, "Page not found", "kk")
    assert_platform_page(client.get("/en/regions/000000000/"), 404, "Page not found", "en")


@pytest.mark.django_db
def test_the_locale_and_slash_redirects_still_come_first(reference, mode):
    client = Client()
    response = client.get("/regions/")
    assert response.status_code == 302 and response["Location"] == "/ru/regions/"
    response = client.get("/ru/regions")
    assert response.status_code == 301 and response["Location"] == "/ru/regions/"


@pytest.mark.django_db
def test_refused_bad_and_broken_requests_get_their_pages(reference, mode):
    client = Client(raise_request_exception=False)
    assert_platform_page(client.get("/failing/403/"), 403, "You cannot do this")
    assert_platform_page(client.get("/failing/400/"), 400,
                         "The request could not be understood")
    assert_platform_page(client.get("/failing/500/"), 500,
                         "Sorry, something went wrong on our side")


@pytest.mark.django_db
def test_a_form_without_its_security_token_is_explained(reference, mode):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/accounts/login/", {"username": "x", "password": "y"})
    body = assert_platform_page(response, 403, "The form was not sent", "en")
    assert "CSRF" not in body


@pytest.mark.django_db
def test_error_pages_keep_the_low_vision_mode_and_lead_to_my_work(reference, make_user):
    client = sign_in(Client(), make_user(Role.RECIPIENT, username="seer"))
    session = client.session
    session[DISPLAY_SESSION_KEY] = {"text_size": "200", "scheme": "white-on-black",
                                    "images": "off", "spacing": "wide"}
    session.save()
    body = client.get("/ru/no-such-page/").content.decode()
    assert 'class="text-200 scheme-white-on-black images-off spacing-wide"' in body
    assert body.count('href="/ru/portal/"') >= 2  # the header's «My …» and the next steps


@pytest.mark.django_db
def test_a_developer_may_ask_for_djangos_pages(reference, settings):
    settings.DEBUG = True
    settings.TENDIK_DEBUG_ERROR_PAGES = True
    body = Client().get("/ru/no-such-page/").content.decode()
    assert "URLconf" in body
    response = Client(raise_request_exception=False).get("/failing/500/")
    assert response.status_code == 500 and "internal detail" in response.content.decode()
    # Never in production, whatever the setting says.
    settings.DEBUG = False
    assert "URLconf" not in Client().get("/ru/no-such-page/").content.decode()


@pytest.mark.django_db
def test_the_api_answers_its_own_errors(reference, mode):
    response = Client().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404 and response["Content-Type"].startswith(
        "application/json")


@pytest.mark.django_db
def test_a_server_error_page_that_cannot_be_drawn_falls_back_to_a_plain_one(reference,
                                                                            monkeypatch):
    from tendik.core import errors

    def fail(*args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(errors, "render", fail)
    response = Client(raise_request_exception=False).get("/failing/500/")
    body = response.content.decode()
    assert response.status_code == 500
    assert 'lang="kk"' in body and 'lang="en"' in body and "the database" not in body


@pytest.mark.django_db
def test_the_favicon_is_served(reference):
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    home = client.get("/ru/").content.decode()
    assert 'rel="icon" href="/static/tendik/favicon.svg"' in home
    assert client.get("/static/tendik/favicon.svg").status_code == 200
