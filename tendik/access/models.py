"""The «Доступная среда» map: facilities, their official accessibility passports, and what
users say of them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils._os import safe_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tendik.access.assessment import Access, Category, Rule, Zone
from tendik.core import once
from tendik.core.audit import AuditedModel
from tendik.core.models import Organisation, Region, localized
from tendik.core.scoping import Scope, ScopedQuerySet
from tendik.core.uploads import private_media_root

ZONE_LABELS = {
    Zone.TERRITORY: _("adjacent territory"),
    Zone.ENTRANCE: _("entrance"),
    Zone.PATHS: _("paths inside the building"),
    Zone.SERVICE: _("zone where the service is received"),
    Zone.SANITARY: _("sanitary rooms"),
    Zone.INFORMATION: _("information and communication"),
    Zone.TRANSPORT: _("route from the public-transport stop"),
}
CATEGORY_LABELS = {
    Category.K: _("wheelchair users"),
    Category.O: _("other mobility impairments"),
    Category.S: _("vision impairments"),
    Category.G: _("hearing impairments"),
    Category.U: _("intellectual disabilities"),
}
UNIT_LABELS = {
    "m": pgettext_lazy("unit", "m"),
    "cm": pgettext_lazy("unit", "cm"),
    "%": "%",
}


def number(value: Decimal) -> str:
    """A measured value or threshold without trailing zeros, with the decimal separator
    of the page's language."""
    plain = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(plain)


ACCESS_LABELS = {
    Access.FULL: _("accessible fully"),
    Access.PARTIAL: _("accessible partially"),
    Access.CONDITIONAL: _("accessible with assistance"),
    Access.NOT_ACCESSIBLE: _("not accessible"),
}


class FacilityType(models.TextChoices):
    RAILWAY_STATION = "railway_station", _("railway station")
    BUS_TERMINAL = "bus_terminal", _("bus terminal")
    BUS_STATION = "bus_station", _("bus station")
    AIRPORT = "airport", _("airport")
    SCHOOL = "school", _("school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    COLLEGE = "college", _("college")
    UNIVERSITY = "university", _("university")
    HEALTH = "health", _("polyclinic or hospital")
    PHARMACY = "pharmacy", _("pharmacy")
    SHOP = "shop", _("shop or mall")
    MARKET = "market", _("market")
    CINEMA = "cinema", _("cinema")
    MUSEUM = "museum", _("museum")
    THEATRE = "theatre", _("theatre")
    SPORTS = "sports", _("sports facility")
    GOVERNMENT = "government", _("government office")
    SOCIAL = "social", _("social service centre")
    BANK = "bank", _("bank")
    POST = "post", _("post office")
    HOTEL = "hotel", _("hotel")
    FOOD = "food", _("café or restaurant")
    PARK = "park", _("park")
    OTHER = "other", _("other")


class Level(models.TextChoices):
    """The overall code reduced to what a marker shows (shape and colour)."""

    FULL = "full", _("accessible to all (ДП-В)")
    SELECTIVE = "selective", _("accessible fully to some (ДП-И)")
    PARTIAL = "partial", _("accessible partially (ДЧ)")
    CONDITIONAL = "conditional", _("accessible with assistance (ДУ)")
    NONE = "none", _("not accessible (ВНД)")
    UNKNOWN = "unknown", _("no approved passport")


class FacilityQuerySet(ScopedQuerySet["Facility"]):
    def accessible_for(self, category: Category, at_least: Access) -> FacilityQuerySet:
        return self.filter(**{f"access_{category.value.lower()}__gte": int(at_least)})


def access_field(category: Category) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        format_lazy(_("status for {category}"), category=CATEGORY_LABELS[category]),
        choices=[(int(a), ACCESS_LABELS[a]) for a in Access], null=True, blank=True)


class Facility(AuditedModel):
    """A building or transport facility on the map. Its official status comes from its
    approved passport and nothing else."""

    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    address_ru = models.CharField(_("address (Russian)"), max_length=300)
    address_kk = models.CharField(_("address (Kazakh)"), max_length=300, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="facilities")
    kato = models.CharField(_("KATO code of the locality"), max_length=9, blank=True)
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(40),
                                                            MaxValueValidator(56)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(46),
                                                              MaxValueValidator(88)])
    type = models.CharField(_("type"), max_length=20, choices=FacilityType.choices)
    operator = models.ForeignKey(Organisation, verbose_name=_("operator"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="facilities")
    parent = models.ForeignKey("self", verbose_name=_("inside"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="children")
    osm_id = models.CharField(_("OpenStreetMap id"), max_length=30, blank=True,
                              help_text=_("e.g. node/123456 or way/789"))
    # What OpenStreetMap's mappers say (wheelchair=*, toilets:wheelchair=*, …): shown beside
    # the official status, never instead of it.
    osm_tags = models.JSONField(_("accessibility tags in OpenStreetMap"), default=dict,
                                blank=True)
    # The approved passport's result, kept here so the map reads one table.
    status_code = models.CharField(_("official status"), max_length=40, blank=True)
    level = models.CharField(_("status on the map"), max_length=12, choices=Level.choices,
                             default=Level.UNKNOWN)
    access_k = access_field(Category.K)
    access_o = access_field(Category.O)
    access_s = access_field(Category.S)
    access_g = access_field(Category.G)
    access_u = access_field(Category.U)
    meets_standard = models.BooleanField(
        _("meets the national standard"), default=False,
        help_text=_("Key zones accessible fully or partially for every category."))
    needs_reinspection = models.BooleanField(_("flagged for re-inspection"), default=False)

    objects = FacilityQuerySet.as_manager()
    scope = Scope(region="region")

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [models.Index(fields=["latitude", "longitude"], name="facility_position"),
                   models.Index(fields=["region", "type"], name="facility_region_type"),
                   models.Index(fields=["level"], name="facility_level")]
        constraints = [models.UniqueConstraint(fields=["osm_id"], condition=~models.Q(
            osm_id=""), name="facility_osm_id_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def address(self) -> str:
        return localized(self, "address")

    def access(self, category: Category) -> Access | None:
        value = getattr(self, f"access_{category.value.lower()}")
        return None if value is None else Access(value)

    def clean(self) -> None:
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A facility cannot be inside itself.")})


class Criterion(models.Model):
    """One line of the passport's checklist, with the norm it comes from."""

    class Comparator(models.TextChoices):
        AT_MOST = "<=", "≤"
        AT_LEAST = ">=", "≥"

    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    zone = models.CharField(_("zone"), max_length=12,
                            choices=[(z.value, ZONE_LABELS[z]) for z in Zone])
    element_ru = models.CharField(_("element (Russian)"), max_length=200)
    element_kk = models.CharField(_("element (Kazakh)"), max_length=200, blank=True)
    element_en = models.CharField(_("element (English)"), max_length=200, blank=True)
    question_ru = models.CharField(_("what is checked (Russian)"), max_length=300)
    question_kk = models.CharField(_("what is checked (Kazakh)"), max_length=300, blank=True)
    question_en = models.CharField(_("what is checked (English)"), max_length=300,
                                   blank=True)
    categories = models.CharField(_("categories"), max_length=10,
                                  help_text=_("Letters K, O, S, G, U."))
    measured = models.BooleanField(_("measured"), default=False)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices,
                                  blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=10, decimal_places=3,
                                    null=True, blank=True)
    essential = models.BooleanField(_("essential"), default=False)
    assistance = models.BooleanField(_("gives assisted access"), default=False)
    clause = models.CharField(_("norm and clause"), max_length=300)
    work_type = models.CharField(_("work type"), max_length=30)

    class Meta:
        ordering = ["position"]
        verbose_name = _("passport criterion")
        verbose_name_plural = _("passport criteria")

    def __str__(self) -> str:
        return self.code

    @property
    def element(self) -> str:
        return localized(self, "element")

    @property
    def question(self) -> str:
        return localized(self, "question")

    def category_set(self) -> frozenset[Category]:
        return frozenset(Category(letter) for letter in self.categories)

    def category_letters(self) -> str:
        return ", ".join(c.letter for c in Category if c.value in self.categories)

    @property
    def unit_label(self) -> str:
        """The unit as the page's language writes it (the data file has m, cm, %)."""
        return str(UNIT_LABELS.get(self.unit, self.unit))

    @property
    def norm(self) -> str:
        """«≤ 8 %», «≥ 0,9 m» in the page's language; "" for a yes / no criterion."""
        if not self.measured or self.threshold is None:
            return ""
        return f"{self.get_comparator_display()} {number(self.threshold)} {self.unit_label}"

    def rule(self) -> Rule:
        return Rule(code=self.code, zone=Zone(self.zone), categories=self.category_set(),
                    measured=self.measured, comparator=self.comparator,
                    threshold=self.threshold, essential=self.essential,
                    assistance=self.assistance, work_type=self.work_type)


class PassportQuerySet(ScopedQuerySet["Passport"]):
    pass


class Passport(AuditedModel):
    """The commission's survey of a facility: one version of its official passport."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved")
        ARCHIVED = "archived", _("archived")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        State.DRAFT: frozenset({State.SUBMITTED}),
        State.SUBMITTED: frozenset({State.APPROVED, State.DRAFT}),
        State.APPROVED: frozenset({State.ARCHIVED}),
        State.ARCHIVED: frozenset(),
    }

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="passports")
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)
    commission = models.ForeignKey(Organisation, verbose_name=_("commission of the akimat"),
                                   on_delete=models.PROTECT, related_name="passports")
    surveyed_on = models.DateField(_("surveyed on"))
    members = models.TextField(_("members of the commission"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status_code = models.CharField(_("status"), max_length=40, blank=True)
    result = models.JSONField(_("result by zone and category"), default=dict, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approver"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    objects = PassportQuerySet.as_manager()
    scope = Scope(region="facility__region", organisation="commission")

    class Meta:
        ordering = ["facility", "-version"]
        verbose_name = _("accessibility passport")
        verbose_name_plural = _("accessibility passports")
        constraints = [
            models.UniqueConstraint(fields=["facility", "version"],
                                    name="passport_version_once"),
            models.UniqueConstraint(fields=["facility"],
                                    condition=models.Q(state="approved"),
                                    name="passport_one_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.facility} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT


class PassportAnswer(models.Model):
    """The commission's finding on one criterion: a measured value or yes / no; neither
    when the criterion does not apply to the building."""

    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("measured value"), max_digits=10, decimal_places=3,
                                null=True, blank=True)
    met = models.BooleanField(_("met"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [models.UniqueConstraint(fields=["passport", "criterion"],
                                               name="answer_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.passport_id} · {self.criterion_id}"

    @property
    def answer(self) -> Decimal | bool | None:
        return self.value if self.criterion.measured else self.met


class PassportTransition(models.Model):
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE,
                                 related_name="transitions")
    from_state = models.CharField(max_length=10, choices=Passport.State.choices)
    to_state = models.CharField(max_length=10, choices=Passport.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.passport_id}: {self.from_state} → {self.to_state}"


def result_json(zones: dict[Zone, dict[Category, Access | None]]) -> dict[str, Any]:
    return {zone.value: {c.value: (None if a is None else int(a)) for c, a in row.items()}
            for zone, row in zones.items()}


CLUSTER_ZOOMS = range(2, 13)  # pre-aggregated; closer zooms are grouped live
LEVEL_COLUMNS = {level.value: f"n_{level.value}" for level in Level}
CATEGORY_COLUMNS = {c: f"ok_{c.value.lower()}" for c in Category}


class ClusterCell(models.Model):
    """How many facilities lie in one grid cell at one zoom, by status: what the whole
    country's map reads instead of a million rows. Kept by tendik/access/clusters.py."""

    zoom = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    count = models.IntegerField(default=0)
    latitude_sum = models.FloatField(default=0)
    longitude_sum = models.FloatField(default=0)
    n_full = models.IntegerField(default=0)
    n_selective = models.IntegerField(default=0)
    n_partial = models.IntegerField(default=0)
    n_conditional = models.IntegerField(default=0)
    n_none = models.IntegerField(default=0)
    n_unknown = models.IntegerField(default=0)
    # Facilities a person of the category reaches on their own (ДП or ДЧ for it).
    ok_k = models.IntegerField(default=0)
    ok_o = models.IntegerField(default=0)
    ok_s = models.IntegerField(default=0)
    ok_g = models.IntegerField(default=0)
    ok_u = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["zoom", "x", "y"],
                                               name="cluster_cell_once")]

    def __str__(self) -> str:
        return f"z{self.zoom} {self.x}/{self.y}: {self.count}"


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Moderated(AuditedModel):
    """What registered users contribute: shown once an akimat moderator publishes it."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    moderation = models.CharField(_("moderation"), max_length=10, choices=Moderation.choices,
                                  default=Moderation.PENDING)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moderator"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300,
                                        blank=True)

    scope = Scope(region="facility__region")

    class Meta:
        abstract = True


RATING_RANGE = [MinValueValidator(1), MaxValueValidator(5)]


def rating_field(category: Category) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        format_lazy(_("rating for {category}"), category=CATEGORY_LABELS[category]),
        null=True, blank=True, validators=RATING_RANGE)


class Review(Moderated):
    """A user's rating of how well the facility is adapted, for the categories they know,
    1 (not at all) to 5 (fully), with a comment."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="reviews")
    rating_k = rating_field(Category.K)
    rating_o = rating_field(Category.O)
    rating_s = rating_field(Category.S)
    rating_g = rating_field(Category.G)
    rating_u = rating_field(Category.U)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    idempotency_key = once.key_field()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.facility_id} · {self.author_id}"

    def ratings(self) -> dict[Category, int]:
        return {c: value for c in Category
                if (value := getattr(self, f"rating_{c.value.lower()}")) is not None}

    def clean(self) -> None:
        if not self.ratings() and not self.comment.strip():
            raise ValidationError(_("Rate at least one category or write a comment."))


# --- Where photos are kept ---------------------------------------------------------------
#
# A published photo is in MEDIA_ROOT, served by the web server like every upload. A photo
# waiting for moderation (or rejected) is named under UNMODERATED and kept beside the
# media directory, where nothing serves it: its URL is the access:unmoderated_photo view,
# which shows it to its author and the facility's moderators only, and 404s for anyone
# else. Publishing moves the file into the media directory (contributions.moderate).

UNMODERATED = "unmoderated/"


def unmoderated_root() -> Path:
    return private_media_root()


class PhotoStorage(FileSystemStorage):
    def path(self, name: str) -> str:
        if name.startswith(UNMODERATED):
            return safe_join(str(unmoderated_root()), name.removeprefix(UNMODERATED))
        return super().path(name)

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        if not (name and name.startswith(UNMODERATED)):
            return super().save(name, content, max_length)
        root = unmoderated_root()
        root.mkdir(parents=True, exist_ok=True)
        apart = FileSystemStorage(location=root)
        return UNMODERATED + apart.save(
            name.removeprefix(UNMODERATED), content,
            max_length - len(UNMODERATED) if max_length else None)

    def url(self, name: str | None) -> str:
        if name and name.startswith(UNMODERATED):
            return reverse("access:unmoderated_photo",
                           kwargs={"name": name.removeprefix(UNMODERATED)})
        return super().url(name)


_photo_storage = PhotoStorage()


def photo_storage() -> PhotoStorage:
    return _photo_storage


def photo_path(instance: Photo, filename: str) -> str:
    public = f"access/photos/{instance.facility_id}/{filename}"
    return public if instance.moderation == Moderation.PUBLISHED else UNMODERATED + public


class Photo(Moderated):
    """A photo of the facility, re-encoded on upload (EXIF and GPS gone), with the text
    that describes it for those who do not see it."""

    MAX_SIZE = 10 * 2**20

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="photos")
    review = models.ForeignKey(Review, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path, storage=photo_storage,
                              width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description of the photo"), max_length=300)

    objects = ScopedQuerySet.as_manager()

    @property
    def is_public(self) -> bool:
        return not (self.image.name or "").startswith(UNMODERATED)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class ProblemReport(Moderated):
    """Something temporarily wrong (a lift out of order, a blocked ramp): shown until it
    is resolved or expires."""

    class Kind(models.TextChoices):
        LIFT = "lift", _("lift or platform out of order")
        RAMP = "ramp", _("ramp blocked or damaged")
        ENTRANCE = "entrance", _("accessible entrance closed")
        TOILET = "toilet", _("accessible toilet closed")
        PARKING = "parking", _("accessible parking taken or closed")
        INFORMATION = "information", _("information or alarm not working")
        OTHER = "other", _("other")

    LIFETIME_DAYS = 14

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(_("problem"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("what is wrong"), max_length=2000)
    expires_at = models.DateTimeField(_("shown until"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    idempotency_key = once.key_field()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.kind}"


class WorkType(models.TextChoices):
    RAMP = "ramp", _("ramp")
    DOORWAY = "doorway", _("widening of doorways")
    THRESHOLD = "threshold", _("removal of thresholds")
    HANDRAILS = "handrails", _("handrails")
    PARKING = "parking", _("accessible parking")
    TACTILE = "tactile", _("tactile paving and guidance")
    CONTRAST_MARKING = "contrast_marking", _("contrast marking")
    LIFT = "lift", _("lift or platform")
    SANITARY_ROOM = "sanitary_room", _("accessible sanitary room")
    SIGNAGE = "signage", _("signs, Braille and pictograms")
    SOUND_VISUAL_ALARM = "sound_visual_alarm", _("sound and visual alarms")
    INDUCTION_LOOP = "induction_loop", _("induction loop")
    SIGN_LANGUAGE = "sign_language", _("sign-language interpretation")
    STAFF_TRAINING = "staff_training", _("staff training")
    LIGHTING = "lighting", _("lighting")
    PAVEMENT = "pavement", _("paths and pavement")
    CALL_BUTTON = "call_button", _("call button")
    INFORMATION = "information", _("accessible information")
    OTHER = "other", _("other works")


class AdaptationPlan(AuditedModel):
    """An akimat's plan for a year: the facilities it will adapt, and how."""

    akimat = models.ForeignKey(Organisation, verbose_name=_("akimat"),
                               on_delete=models.PROTECT, related_name="adaptation_plans",
                               limit_choices_to={"kind": Organisation.Kind.AKIMAT})
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="akimat__region", organisation="akimat")

    class Meta:
        ordering = ["year", "akimat__code"]
        verbose_name = _("regional adaptation plan")
        verbose_name_plural = _("regional adaptation plans")
        constraints = [models.UniqueConstraint(fields=["akimat", "year"],
                                               name="adaptation_plan_once_a_year")]

    def __str__(self) -> str:
        return f"{self.akimat.code} {self.year}"

    def clean(self) -> None:
        if self.akimat_id and self.akimat.kind != Organisation.Kind.AKIMAT:
            raise ValidationError({"akimat": _("An adaptation plan belongs to an akimat.")})


class AdaptationItem(AuditedModel):
    """One work on one facility: what, where, by when, for how much, and whether done."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    plan = models.ForeignKey(AdaptationPlan, on_delete=models.CASCADE, related_name="items")
    facility = models.ForeignKey(Facility, verbose_name=_("facility"),
                                 on_delete=models.PROTECT, related_name="adaptation_items")
    zones = models.CharField(_("zones"), max_length=120,
                             help_text=_("Comma-separated zone codes."))
    work_type = models.CharField(_("work"), max_length=30, choices=WorkType.choices)
    description = models.TextField(_("description of the works"), blank=True)
    deadline = models.DateField(_("deadline"))
    budget = models.DecimalField(_("budget, thousand tenge"), max_digits=14, decimal_places=1,
                                 validators=[MinValueValidator(Decimal(0))])
    responsible = models.CharField(_("responsible body"), max_length=300)
    target_level = models.CharField(_("target status"), max_length=12, choices=Level.choices,
                                    default=Level.FULL)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.PLANNED)
    done_on = models.DateField(_("completed on"), null=True, blank=True)
    idempotency_key = once.key_field()

    objects = ScopedQuerySet.as_manager()
    scope = Scope(region="plan__akimat__region", organisation="plan__akimat")

    class Meta:
        ordering = ["plan", "deadline", "pk"]
        verbose_name = _("adaptation work")
        verbose_name_plural = _("adaptation works")

    def __str__(self) -> str:
        return f"{self.plan} · {self.facility_id} · {self.work_type}"

    def zone_list(self) -> list[Zone]:
        return [Zone(z) for z in self.zones.split(",") if z]

    def zone_labels(self) -> str:
        return ", ".join(str(ZONE_LABELS[z]) for z in self.zone_list())

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.plan_id and self.facility_id and \
                self.facility.region_id != self.plan.akimat.region_id:
            errors["facility"] = _("The facility is in another region.")
        try:
            self.zone_list()
        except ValueError:
            errors["zones"] = _("Unknown zone.")
        if self.state == self.State.DONE and self.done_on is None:
            errors["done_on"] = _("Give the date the works were completed.")
        if errors:
            raise ValidationError(errors)
