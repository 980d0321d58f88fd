"""The content security policy on every answer, and no template that it would break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "tendik"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
# Rendered by WeasyPrint into a PDF, never by a browser; and the last-resort error page,
# which stays readable unstyled if its inline style is refused.
NOT_BROWSER_PAGES = {"plan/templates/plan/consolidated_report.html",
                     "core/templates/core/errors/500_minimal.html"}


@pytest.mark.django_db
def test_every_answer_carries_the_policy(client, settings):
    for path in ("/ru/", "/api/v1/regions", "/healthz"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_the_map_tiles_server_is_the_only_other_origin():
    from tendik.core.middleware import content_security_policy

    policy = content_security_policy()
    assert "https://tile.openstreetmap.org" in policy.split("img-src")[1].split(";")[0]


def test_no_page_template_has_an_inline_script_or_style_attribute():
    offending = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        relative = template.relative_to(TEMPLATES).as_posix()
        if relative in NOT_BROWSER_PAGES:
            continue
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or STYLE_ATTRIBUTE.search(text) or "<style" in text:
            offending.append(relative)
    assert offending == []
