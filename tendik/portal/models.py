"""The social services portal: the classifier of technical aids (ТСР) and services an
individual rehabilitation programme (ИПР) entitles, and the price caps in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tendik.core import once
from tendik.core.audit import AppendOnly, AuditedModel
from tendik.core.models import Organisation, Region, localized
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.people.iin import check_bin
from tendik.people.models import Person
from tendik.portal import reasons
from tendik.portal.reasons import Reason


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
        return self.name

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


def offer_photo_path(instance: OfferPhoto, filename: str) -> str:
    return f"portal/offers/{instance.offer_id}/{filename}"


class OfferPhoto(AuditedModel):
    """A photo of the offered aid, re-encoded on upload, with the text that describes it
    for those who do not see it."""

    MAX_SIZE = 10 * 2**20
    PER_OFFER = 6

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=offer_photo_path, width_field="width",
                              height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description of the photo"), max_length=300)

    class Meta:
        ordering = ["offer", "pk"]
        verbose_name = _("photo of an offer")
        verbose_name_plural = _("photos of offers")

    def __str__(self) -> str:
        return self.alt_text

class Ipr(AuditedModel):
    """One version of a person's individual rehabilitation programme (ИПР)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iprs")
    number = models.CharField(_("number"), max_length=50)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"), db_index=True)
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


class Balance:
    """What an entitlement grants, what was delivered, what orders under way reserve."""

    def __init__(self, granted: int, delivered: int, reserved: int) -> None:
        self.granted, self.delivered, self.reserved = granted, delivered, reserved

    @property
    def left(self) -> int:
        return max(0, self.granted - self.delivered - self.reserved)

    @property
    def met(self) -> bool:
        return self.delivered >= self.granted


class EntitlementQuerySet(ScopedQuerySet["Entitlement"]):
    def with_balance(self) -> EntitlementQuerySet:
        """Annotate what was delivered and what orders under way reserve: the balance is
        the quantity less both. Computed from orders, never stored."""
        delivered = models.Sum("orders__quantity",
                               filter=models.Q(orders__state__in=Order.DELIVERED_STATES))
        reserved = models.Sum("orders__quantity",
                              filter=models.Q(orders__state__in=Order.OPEN_STATES))
        return self.annotate(delivered_quantity=Coalesce(delivered, 0),
                             reserved_quantity=Coalesce(reserved, 0))


class Entitlement(AuditedModel):
    """What an ИПР version entitles: an item (aid or service) and how much of it. The
    balance left is computed from deliveries, never typed in."""

    ipr = models.ForeignKey(Ipr, on_delete=models.CASCADE, related_name="entitlements")
    item = models.ForeignKey(CatalogueItem, verbose_name=_("item"), on_delete=models.PROTECT,
                             related_name="entitlements")
    quantity = models.PositiveIntegerField(_("quantity or hours"),
                                           validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = EntitlementQuerySet.as_manager()
    scope = Scope(region="ipr__person__region")

    class Meta:
        ordering = ["ipr", "item__code"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [models.UniqueConstraint(fields=["ipr", "item"],
                                               name="entitlement_once_per_item")]

    def __str__(self) -> str:
        return f"{self.ipr_id}: {self.item_id} × {self.quantity}"

    @property
    def balance(self) -> Balance:
        if hasattr(self, "delivered_quantity"):
            return Balance(self.quantity, self.delivered_quantity, self.reserved_quantity)  # type: ignore[attr-defined]
        counts = self.orders.aggregate(  # type: ignore[attr-defined]
            delivered=models.Sum("quantity", filter=models.Q(state__in=Order.DELIVERED_STATES)),
            reserved=models.Sum("quantity", filter=models.Q(state__in=Order.OPEN_STATES)))
        return Balance(self.quantity, counts["delivered"] or 0, counts["reserved"] or 0)

    def valid_on(self, day: dt.date) -> bool:
        return self.ipr.is_valid_on(day)


class Order(AuditedModel):
    """A person's order of an aid or service from a supplier's offer, under an
    entitlement. The state pays up to the cap in force on the order date; the person pays
    the rest. Its history is an append-only log of events (OrderEvent)."""

    class State(models.TextChoices):
        PLACED = "placed", _("placed, waiting for the supplier")
        ACCEPTED = "accepted", _("accepted by the supplier")
        FITTING = "fitting", _("fitting or manufacture")
        DELIVERED = "delivered", _("delivered, waiting for confirmation")
        RECEIVED = "received", _("received")
        DISPUTED = "disputed", _("disputed")
        DECLINED = "declined", _("declined by the supplier")
        CANCELLED = "cancelled", _("cancelled")

    # Who may move an order, and where to. The recipient (or representative) may cancel
    # until manufacture starts; after that only the akimat may, on a dispute.
    TRANSITIONS: ClassVar[dict[str, dict[str, frozenset[str]]]] = {
        State.PLACED: {"supplier": frozenset({State.ACCEPTED, State.DECLINED}),
                       "recipient": frozenset({State.CANCELLED}),
                       "akimat": frozenset({State.CANCELLED})},
        State.ACCEPTED: {"supplier": frozenset({State.FITTING, State.DELIVERED,
                                                State.CANCELLED}),
                         "recipient": frozenset({State.CANCELLED}),
                         "akimat": frozenset({State.CANCELLED})},
        State.FITTING: {"supplier": frozenset({State.DELIVERED})},
        State.DELIVERED: {"recipient": frozenset({State.RECEIVED, State.DISPUTED})},
        State.DISPUTED: {"supplier": frozenset({State.DELIVERED}),
                         "recipient": frozenset({State.RECEIVED}),
                         "akimat": frozenset({State.CANCELLED, State.RECEIVED})},
        State.RECEIVED: {},
        State.DECLINED: {},
        State.CANCELLED: {},
    }
    OPEN_STATES: ClassVar[tuple[str, ...]] = (State.PLACED, State.ACCEPTED, State.FITTING,
                                              State.DELIVERED, State.DISPUTED)
    DELIVERED_STATES: ClassVar[tuple[str, ...]] = (State.RECEIVED,)

    idempotency_key = models.CharField(
        _("request key"), max_length=64, unique=True,
        help_text=_("Sent with the order; a repeated request with the same key returns the "
                    "same order."))
    person = models.ForeignKey(Person, verbose_name=_("recipient"), on_delete=models.PROTECT,
                               related_name="orders")
    entitlement = models.ForeignKey(Entitlement, verbose_name=_("entitlement"),
                                    on_delete=models.PROTECT, related_name="orders")
    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.PROTECT,
                              related_name="orders")
    supplier = models.ForeignKey(Organisation, verbose_name=_("supplier"),
                                 on_delete=models.PROTECT, related_name="orders")
    item = models.ForeignKey(CatalogueItem, verbose_name=_("item"), on_delete=models.PROTECT,
                             related_name="orders")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1,
                                           validators=[MinValueValidator(1)])
    ordered_on = models.DateField(_("order date"))
    unit_price = models.DecimalField(_("price, tenge"), max_digits=12, decimal_places=2)
    unit_cap = models.DecimalField(_("cap on the order date, tenge"), max_digits=12,
                                   decimal_places=2, null=True, blank=True)
    state_pays = models.DecimalField(_("the state pays, tenge"), max_digits=14,
                                     decimal_places=2)
    copayment = models.DecimalField(_("the recipient pays, tenge"), max_digits=14,
                                    decimal_places=2)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Offer.Delivery.choices)
    address = models.CharField(_("delivery address"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PLACED, db_index=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("placed by"),
                                  on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region", organisation="supplier")

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        # The queues read a region's or a supplier's newest orders first; the rules read
        # received orders by date and by person and item.
        indexes = [models.Index(fields=["region", "state", "placed_at"]),
                   models.Index(fields=["supplier", "state", "placed_at"]),
                   models.Index(fields=["region", "placed_at", "id"],
                                name="portal_order_region_recent"),
                   models.Index(fields=["supplier", "placed_at", "id"],
                                name="portal_order_supplier_recent"),
                   models.Index(fields=["person", "placed_at"]),
                   models.Index(fields=["received_at"], condition=models.Q(state="received"),
                                name="portal_order_received"),
                   models.Index(fields=["person", "item", "received_at"],
                                condition=models.Q(state="received"),
                                name="portal_order_received_item")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state_pays__gte=0) & models.Q(copayment__gte=0),
                name="order_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"ТСР-{self.pk:07d}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def moves_for(self, party: str) -> frozenset[str]:
        return self.TRANSITIONS[self.state].get(party, frozenset())

    @staticmethod
    def split(price: Decimal, cap: Decimal | None, quantity: int) -> tuple[Decimal, Decimal]:
        """(the state pays, the person pays) for `quantity` units at `price` under `cap`."""
        if cap is None:
            return Decimal(0), price * quantity
        unit_state = min(price, cap)
        return unit_state * quantity, (price - unit_state) * quantity


class OrderEvent(AppendOnly):
    """One step of an order: placed, accepted, delivered, disputed, paid…"""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                           on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by_token = models.ForeignKey("core.ApiToken", verbose_name=_("by API token"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_state} → {self.to_state}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.to_state, self.to_state))

    @property
    def reasons(self) -> list[str]:
        """When a claim was filed, the comment holds the codes of the rules it did not
        pass (machine values): people read what each means instead."""
        if self.from_state or self.to_state not in CLAIM_STATES or not self.comment:
            return []
        codes = [code.strip() for code in self.comment.split(",")]
        return [reasons.failure(code) for code in codes] \
            if all(code in Reason.values for code in codes) else []


class SupplierRating(AuditedModel):
    """The recipient's rating of the supplier for one received order."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rating")
    supplier = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                 related_name="ratings")
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("supplier rating")
        verbose_name_plural = _("supplier ratings")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.stars}"


class Complaint(AuditedModel):
    """A recipient's complaint against a supplier about an order: the supplier answers,
    the akimat of the region decides."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting for the supplier's answer")
        ANSWERED = "answered", _("answered, waiting for the akimat")
        UPHELD = "upheld", _("upheld by the akimat")
        DISMISSED = "dismissed", _("dismissed by the akimat")

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT,
                              related_name="complaints")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                 related_name="complaints")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("complaint"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    answer = models.TextField(_("supplier's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decision = models.TextField(_("akimat's decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    idempotency_key = once.key_field()

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region", organisation="supplier")

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.state}"


class Reimbursement(AuditedModel):
    """The supplier's claim for a received order, checked against the rules and approved
    by the akimat's accountant and then its head before payment."""

    class State(models.TextChoices):
        REJECTED = "rejected", _("rejected")
        ACCOUNTANT = "accountant", _("waiting for the accountant")
        HEAD = "head", _("waiting for the head")
        PAID = "paid", _("paid")

    order = models.OneToOneField(Order, verbose_name=_("order"), on_delete=models.PROTECT,
                                 related_name="reimbursement")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                 related_name="reimbursements")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    claimed = models.DecimalField(_("claimed, tenge"), max_digits=14, decimal_places=2)
    approved_amount = models.DecimalField(_("to pay, tenge"), max_digits=14,
                                          decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             db_index=True)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    accountant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accountant"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    accountant_at = models.DateTimeField(_("approved by the accountant"), null=True,
                                         blank=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("head"),
                             on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    head_at = models.DateTimeField(_("approved by the head"), null=True, blank=True)
    rejection_comment = models.TextField(_("comment"), blank=True)
    # Who rejected it, as what, and when. A claim the rules reject has no one here: its
    # reasons are its failed checks and its time is when it was checked.
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rejected by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    rejected_as = models.CharField(_("rejected at the stage"), max_length=10, blank=True,
                                   choices=[("accountant", _("accountant")),
                                            ("head", _("head"))])
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="region", organisation="supplier")

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("reimbursement")
        verbose_name_plural = _("reimbursements")
        indexes = [models.Index(fields=["region", "state", "checked_at"])]
        permissions = [("approve_as_accountant", _("Approve reimbursements as accountant")),
                       ("approve_as_head", _("Approve reimbursements as head"))]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.state}"

    @property
    def not_passed(self) -> list[ReimbursementCheck]:
        """The rules that failed or were noted (read from prefetched checks)."""
        return [check for check in self.checks.all() if not check.passed]

    @property
    def rejection(self) -> Rejection | None:
        if self.state != self.State.REJECTED:
            return None
        if self.rejected_by_id is None:
            return Rejection(by=None, role="", at=self.rejected_at or self.checked_at,
                             comment="", failed=[c for c in self.checks.all()
                                                 if not c.passed and c.blocking])
        return Rejection(by=self.rejected_by, role=self.get_rejected_as_display(),
                         at=self.rejected_at, comment=self.rejection_comment, failed=[])


class Rejection:
    """Who rejected a claim (nobody: the rule checks), as what, when, and why."""

    def __init__(self, *, by: Any, role: str, at: Any, comment: str,
                 failed: list[ReimbursementCheck]) -> None:
        self.by, self.role, self.at, self.comment, self.failed = by, role, at, comment, failed

    @property
    def by_rules(self) -> bool:
        return self.by is None

    @property
    def organisation(self) -> str:
        organisation = getattr(self.by, "organisation", None)
        return organisation.name if organisation is not None else ""


class ReimbursementCheck(AppendOnly):
    """One rule applied to a claim: passed, or failed with its reason code, and the facts
    it found (dates as ISO, amounts as strings) from which its sentence is written in the
    reader's language."""

    reimbursement = models.ForeignKey(Reimbursement, on_delete=models.PROTECT,
                                      related_name="checks")
    code = models.CharField(_("reason code"), max_length=14, choices=Reason.choices)
    passed = models.BooleanField(_("passed"))
    blocking = models.BooleanField(_("blocks payment"), default=True)
    facts = models.JSONField(_("what was found"), default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reimbursement check")
        verbose_name_plural = _("reimbursement checks")

    def __str__(self) -> str:
        return f"{self.code}: {'ok' if self.passed else 'failed'}"

    @property
    def name(self) -> str:
        return reasons.name(self.code)

    @property
    def outcome(self) -> reasons.Outcome:
        return reasons.outcome(self.passed, self.blocking)

    @property
    def detail(self) -> str:
        """What the rule found, in the active language."""
        return reasons.finding(self.code, self.passed, self.facts)

    @property
    def statement(self) -> str:
        return reasons.statement(self.code, self.passed, self.blocking, self.facts)

    @property
    def legal_act(self) -> str:
        """The act that set the cap, as it was written (in Russian)."""
        return str((self.facts or {}).get("legal_act") or "")


# What each step of an order's log is called: its state, or its claim's.
EVENT_LABELS = {**dict(Order.State.choices), **dict(Reimbursement.State.choices)}
CLAIM_STATES = frozenset(Reimbursement.State.values)


class Payment(AppendOnly):
    """The payment of an approved reimbursement: one per claim, whatever is retried."""

    reimbursement = models.OneToOneField(Reimbursement, on_delete=models.PROTECT,
                                         related_name="payment")
    amount = models.DecimalField(_("amount, tenge"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    paid_at = models.DateTimeField(_("paid"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return self.reference
