from pathlib import Path

import pytest

from tendik.core.display import SESSION_KEY, DisplayPreferences
from tendik.core.models import Role

LARGE_CONTRAST = {"text_size": "200", "scheme": "white-on-black", "images": "off",
                  "spacing": "wide"}


def test_unknown_values_fall_back_to_the_defaults():
    prefs = DisplayPreferences.from_mapping({"text_size": "900", "scheme": "white-on-black",
                                             "junk": "x"})
    assert prefs == DisplayPreferences(scheme="white-on-black")
    assert DisplayPreferences.from_mapping(None).is_default
    assert DisplayPreferences(**LARGE_CONTRAST).html_classes == (
        "text-200 scheme-white-on-black images-off spacing-wide")


@pytest.mark.django_db
def test_every_page_offers_the_low_vision_mode(reference, client):
    for path in ["/ru/", "/kk/regions/", "/en/organisations/", "/ru/accounts/login/"]:
        body = client.get(path).content.decode()
        assert "/accessibility/?next=" in body, path


@pytest.mark.django_db
def test_a_visitor_keeps_the_choice_for_the_session(reference, client):
    response = client.post("/ru/accessibility/", {**LARGE_CONTRAST, "next": "/ru/regions/"})
    assert response.status_code == 302 and response["Location"] == "/ru/regions/"
    assert client.session[SESSION_KEY] == LARGE_CONTRAST
    body = client.get("/ru/regions/").content.decode()
    assert 'class="text-200 scheme-white-on-black images-off spacing-wide"' in body


@pytest.mark.django_db
def test_a_signed_in_user_keeps_it_in_the_profile(make_user, client_for, client):
    user = make_user(Role.RECIPIENT, username="lowvision")
    client_for(user).post("/ru/accessibility/", LARGE_CONTRAST)
    user.refresh_from_db()
    assert user.display_preferences == LARGE_CONTRAST
    # On another device, signing in brings the preferences back.
    from tests.factories import PASSWORD

    client.post("/ru/accounts/login/", {"username": "lowvision", "password": PASSWORD})
    assert "text-200" in client.get("/ru/").content.decode()


@pytest.mark.django_db
def test_invalid_choices_are_reported_and_nothing_is_saved(reference, client):
    response = client.post("/ru/accessibility/", {"text_size": "500", "scheme": "neon"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"text_size", "scheme", "images", "spacing"}
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_stylesheet_defines_every_scheme_and_size(client):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("tendik/tendik.css")).read_text(encoding="utf-8")
    for key, choices in DisplayPreferences.CHOICES.items():
        prefix = {"text_size": "text", "scheme": "scheme", "images": "images",
                  "spacing": "spacing"}[key]
        for value, _label in choices:
            if (prefix, value) in {("scheme", "standard"), ("text", "100"),
                                   ("images", "on"), ("spacing", "normal")}:
                continue
            assert f"html.{prefix}-{value}" in css, f"{prefix}-{value}"
