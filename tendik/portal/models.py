"""The social services portal: the classifier of technical aids (ТСР) and services an
individual rehabilitation programme (ИПР) entitles, and the price caps in force."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Region, localized


class AidGroup(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("group of aids")
        verbose_name_plural = _("groups of aids")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class CatalogueItem(AuditedModel):
    """A kind of aid or service of the classifier, with its replacement term."""

    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        PAIR = "pair", _("pair")
        SET = "set", _("set")
        PACK = "pack", _("pack")
        HOUR = "hour", _("hour")
        DAY = "day", _("day")
        COURSE = "course", _("course")

    SERVICE_GROUP = "SE"

    code = models.CharField(_("code"), max_length=20, unique=True)
    group = models.ForeignKey(AidGroup, verbose_name=_("group"), on_delete=models.PROTECT,
                              related_name="items")
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    replacement_months = models.PositiveSmallIntegerField(
        _("replacement term, months"), validators=[MinValueValidator(1)])
    yearly_quantity = models.PositiveIntegerField(_("quantity a year"), null=True, blank=True)
    needs_fitting = models.BooleanField(_("made or fitted individually"), default=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item of the classifier")
        verbose_name_plural = _("items of the classifier")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_service(self) -> bool:
        return self.group.code == self.SERVICE_GROUP


class PriceCapQuerySet(models.QuerySet["PriceCap"]):
    def in_force(self, day: dt.date) -> PriceCapQuerySet:
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class PriceCap(AuditedModel):
    """The most the state pays for one unit of an item, nationally or in one region, for a
    period, under a legal act. A regional cap overrides the national one."""

    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="caps")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    amount = models.DecimalField(_("cap, tenge"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_act = models.CharField(_("legal act"), max_length=300)

    objects = PriceCapQuerySet.as_manager()

    class Meta:
        ordering = ["item", "region", "-valid_from"]
        verbose_name = _("price cap")
        verbose_name_plural = _("price caps")

    def __str__(self) -> str:
        return f"{self.item.code}: {self.amount} from {self.valid_from}"

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end comes after the start.")})
        overlapping = PriceCap.objects.filter(item_id=self.item_id, region=self.region) \
            .exclude(pk=self.pk).filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if self.item_id and overlapping.exists():
            raise ValidationError(_("Another cap for this item and region is in force in "
                                    "the same period."))


def cap_for(item: CatalogueItem, region: Region | None, day: dt.date) -> PriceCap | None:
    """The cap in force on the day: the region's own, or else the national one."""
    caps = item.caps.in_force(day).order_by("-valid_from")  # type: ignore[attr-defined]
    return (caps.filter(region=region).first() if region else None) \
        or caps.filter(region__isnull=True).first()
