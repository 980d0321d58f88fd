from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = {code: Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
              for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_interface_string_is_translated(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    assert len(catalogue) > 100
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert untranslated == [], f"{language}: untranslated {untranslated[:5]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:5]}"


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    source = polib.pofile(str(CATALOGUES[language]))
    compiled = polib.mofile(str(CATALOGUES[language].with_suffix(".mo")))
    expected = {(e.msgid, e.msgstr or tuple(sorted(e.msgstr_plural.items())))
                for e in source if not e.obsolete}
    actual = {(e.msgid, e.msgstr or tuple(sorted(e.msgstr_plural.items())))
              for e in compiled if e.msgid}
    assert actual == expected, "run `make messages` to recompile the catalogues"


def test_kazakh_translations_use_kazakh_letters():
    catalogue = polib.pofile(str(CATALOGUES["kk"]))
    text = " ".join(e.msgstr for e in catalogue)
    assert set("әғқңөұүі") <= set(text.lower())


@pytest.mark.django_db
@pytest.mark.parametrize("language,sign_in", [("ru", "Войти"), ("kk", "Кіру"),
                                              ("en", "Sign in")])
def test_pages_speak_the_language_of_their_prefix(language, sign_in, reference, client):
    response = client.get(f"/{language}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in body
    assert sign_in in body


@pytest.mark.django_db
def test_the_root_leads_to_russian_by_default(reference, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert response.status_code == 302 and response["Location"] == "/ru/"


@pytest.mark.django_db
def test_the_switcher_links_to_the_same_page_in_each_language(reference, client):
    body = client.get("/ru/regions/750000000/").content.decode()
    for language in ["ru", "kk", "en"]:
        assert f'href="/{language}/regions/750000000/"' in body
    assert "Алматы қаласы" in client.get("/kk/regions/750000000/").content.decode()


def test_the_catalogues_hold_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogues lack."""
    import shutil
    import subprocess
    import sys

    source = Path(settings.BASE_DIR) / "tendik"
    copy = tmp_path / "tendik"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("static", "__pycache__",
                                                                "*.mo", "data"))
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "makemessages",
         "--no-obsolete", "-l", "kk", "--ignore", "static/*"],
        cwd=copy, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/kk/LC_MESSAGES/django.po"))
                 if not e.obsolete}
    catalogued = {e.msgid for e in polib.pofile(str(CATALOGUES["kk"])) if not e.obsolete}
    missing = sorted(extracted - catalogued)
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"
