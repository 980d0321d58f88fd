"""Addresses of the platform's pages outside a request: in e-mails and documents."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override


def absolute_url(path: str) -> str:
    """The page's full address at the platform's public address (SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def page_url(url_name: str, language: str, *args: object, **kwargs: object) -> str:
    """The full address of a page in the reader's language (/ru/…, /kk/…, /en/…)."""
    with override(language):
        return absolute_url(reverse(url_name, args=args or None, kwargs=kwargs or None))
