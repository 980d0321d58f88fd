from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from tendik.core.display import preferences_for


def platform(request: HttpRequest) -> dict[str, Any]:
    path = request.get_full_path()
    return {
        "display": preferences_for(request),
        "language_links": [
            {"code": code, "url": translate_url(path, code), "name": name}
            for code, name in settings.LANGUAGES
        ],
    }
