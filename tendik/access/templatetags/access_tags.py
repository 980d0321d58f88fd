"""{% load access_tags %}{% category_abbr category %}: the official letter of a category
(К, О, С, Г, У, Russian letters, marked so) with its name in the page's language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tendik.access.assessment import Access, Category
from tendik.access.models import ACCESS_LABELS, CATEGORY_LABELS

register = template.Library()


@register.filter
def category_name(category: Category) -> str:
    return str(CATEGORY_LABELS[Category(category)])


@register.simple_tag
def category_abbr(category: Category) -> SafeString:
    category = Category(category)
    return format_html('<abbr title="{}"><span lang="ru">{}</span></abbr>',
                       CATEGORY_LABELS[category], category.letter)


@register.simple_tag
def access_abbr(code: str, level: int) -> SafeString:
    """A zone's status code (ДП, ДЧ, ДУ, ВНД), with its meaning for screen readers."""
    return format_html('<span lang="ru" aria-hidden="true">{}</span>'
                       '<span class="visually-hidden">{}</span>',
                       code, ACCESS_LABELS[Access(level)])
