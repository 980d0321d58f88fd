"""Low-vision mode: text size, colour scheme, images and letter spacing.

Preferences live in the session for everyone and in the profile of a signed-in user,
so they follow the person to another device. The base template turns them into classes
on <html>; the stylesheet does the rest, with no JavaScript.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "tendik_display"

TEXT_SIZES = [("100", _("Standard (100 %)")), ("150", _("Large (150 %)")),
              ("200", _("Largest (200 %)"))]
SCHEMES = [
    ("standard", _("Standard colours")),
    ("black-on-white", _("Black on white")),
    ("white-on-black", _("White on black")),
    ("blue-on-lightblue", _("Dark blue on light blue")),
]
IMAGES = [("on", _("Show images")), ("off", _("Hide images, show their descriptions"))]
SPACING = [("normal", _("Normal letter spacing")), ("wide", _("Wider letter spacing"))]


@dataclass(frozen=True)
class DisplayPreferences:
    text_size: str = "100"
    scheme: str = "standard"
    images: str = "on"
    spacing: str = "normal"

    CHOICES = {"text_size": TEXT_SIZES, "scheme": SCHEMES, "images": IMAGES,
               "spacing": SPACING}

    @classmethod
    def from_mapping(cls, data: Any) -> DisplayPreferences:
        """Known keys with allowed values; anything else falls back to the default."""
        values = {}
        if isinstance(data, dict):
            for field in fields(cls):
                allowed = {key for key, _label in cls.CHOICES[field.name]}
                if data.get(field.name) in allowed:
                    values[field.name] = data[field.name]
        return cls(**values)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def is_default(self) -> bool:
        return self == DisplayPreferences()

    @property
    def html_classes(self) -> str:
        return (f"text-{self.text_size} scheme-{self.scheme} images-{self.images} "
                f"spacing-{self.spacing}")


def preferences_for(request: HttpRequest) -> DisplayPreferences:
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if stored is None and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        stored = request.user.display_preferences  # type: ignore[union-attr]
    return DisplayPreferences.from_mapping(stored)
