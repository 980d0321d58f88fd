"""The social services portal: the classifier of technical aids (ТСР) and services an
individual rehabilitation programme (ИПР) entitles, and the price caps in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tendik.core.audit import AuditedModel
from tendik.core.models import Organisation, Region, localized
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.people.iin import check_bin
from tendik.people.models import Person


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


class Accreditation(AuditedModel):
    """A supplier's right to serve a region for a period: what reimbursement checks."""

    class Status(models.TextChoices):
        ACCREDITED = "accredited", _("accredited")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")

    supplier = models.ForeignKey(Organisation, verbose_name=_("supplier"),
                                 on_delete=models.PROTECT, related_name="accreditations",
                                 limit_choices_to={"kind": Organisation.Kind.SUPPLIER})
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ACCREDITED)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    decision = models.CharField(_("decision"), max_length=200)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region", organisation="supplier")

    class Meta:
        ordering = ["supplier", "region", "-valid_from"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")

    def __str__(self) -> str:
        return f"{self.supplier_id} · {self.region_id}: {self.status}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.supplier_id:
            if self.supplier.kind != Organisation.Kind.SUPPLIER:
                errors["supplier"] = _("Only suppliers are accredited.")
            else:
                try:
                    check_bin(self.supplier.bin)
                except ValidationError as invalid:
                    errors["supplier"] = [_("The supplier's BIN: %(problem)s")
                                          % {"problem": " ".join(invalid.messages)}]
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end comes after the start.")
        if errors:
            raise ValidationError(errors)

    def covers(self, day: dt.date) -> bool:
        return self.status == self.Status.ACCREDITED and self.valid_from <= day <= self.valid_to


def is_accredited(supplier: Organisation, region: Region, day: dt.date) -> bool:
    return Accreditation.objects.filter(
        supplier=supplier, region=region, status=Accreditation.Status.ACCREDITED,
        valid_from__lte=day, valid_to__gte=day).exists()


class Offer(AuditedModel):
    """What a supplier offers for an item of the classifier: price, description, delivery."""

    class Delivery(models.TextChoices):
        HOME = "home", _("delivery to the home, villages included")
        PICKUP = "pickup", _("collection at the supplier")
        POST = "post", _("by post")

    supplier = models.ForeignKey(Organisation, verbose_name=_("supplier"),
                                 on_delete=models.CASCADE, related_name="offers",
                                 limit_choices_to={"kind": Organisation.Kind.SUPPLIER})
    item = models.ForeignKey(CatalogueItem, verbose_name=_("item"), on_delete=models.PROTECT,
                             related_name="offers")
    title = models.CharField(_("model or brand"), max_length=200)
    price = models.DecimalField(_("price, tenge"), max_digits=12, decimal_places=2,
                                validators=[MinValueValidator(0)])
    specifications = models.TextField(_("specifications"), blank=True)
    delivery = models.JSONField(_("delivery"), default=list,
                                help_text=_("Any of: home, pickup, post."))
    lead_time_days = models.PositiveSmallIntegerField(_("lead time, days"))
    fitting = models.BooleanField(_("individual fitting included"), default=False)
    active = models.BooleanField(_("on offer"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(organisation="supplier")

    class Meta:
        ordering = ["item", "price"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.item_id} {self.price}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.delivery or set(self.delivery) - set(self.Delivery.values):
            errors["delivery"] = _("Choose how the aid reaches the person.")
        if self.item_id and self.item.needs_fitting and not self.fitting:
            errors["fitting"] = _("This aid is fitted individually: the offer includes it.")
        if errors:
            raise ValidationError(errors)

    def copayment(self, cap: PriceCap | None) -> Decimal:
        """What the person pays on top of what the state pays (the cap)."""
        if cap is None:
            return self.price
        return max(Decimal(0), self.price - cap.amount)


class Ipr(AuditedModel):
    """One version of a person's individual rehabilitation programme (ИПР)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iprs")
    number = models.CharField(_("number"), max_length=50)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="person__region")

    class Meta:
        ordering = ["person", "-version"]
        verbose_name = _("individual rehabilitation programme")
        verbose_name_plural = _("individual rehabilitation programmes")
        constraints = [models.UniqueConstraint(fields=["person", "version"],
                                               name="ipr_version_once")]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Entitlement(AuditedModel):
    """What an ИПР version entitles: an item (aid or service) and how much of it. The
    balance left is computed from deliveries, never typed in."""

    ipr = models.ForeignKey(Ipr, on_delete=models.CASCADE, related_name="entitlements")
    item = models.ForeignKey(CatalogueItem, verbose_name=_("item"), on_delete=models.PROTECT,
                             related_name="entitlements")
    quantity = models.PositiveIntegerField(_("quantity or hours"),
                                           validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope = Scope(region="ipr__person__region")

    class Meta:
        ordering = ["ipr", "item__code"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [models.UniqueConstraint(fields=["ipr", "item"],
                                               name="entitlement_once_per_item")]

    def __str__(self) -> str:
        return f"{self.ipr_id}: {self.item_id} × {self.quantity}"
