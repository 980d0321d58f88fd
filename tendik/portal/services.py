"""The classifier and suppliers' offers; every write owns its transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tendik.core.audit import acting_as
from tendik.core.models import Role, User
from tendik.core.uploads import reencode_image
from tendik.portal.models import AidGroup, CatalogueItem, Offer, OfferPhoto, PriceCap

DATA_DIR = Path(__file__).resolve().parent / "data"
# The classifier's caps are indicative until the ministry's order sets them; they start
# on the first day of the plan's last year.
INDICATIVE_FROM = dt.date(2025, 1, 1)


@transaction.atomic
def load_classifier(path: Path | None = None) -> Counter[str]:
    """Groups, items and their national caps from the data file. Items already loaded
    keep what the ministry changed; caps are added only for items without any."""
    document = json.loads((path or DATA_DIR / "tsr_classifier.json").read_text(
        encoding="utf-8"))
    counts: Counter[str] = Counter()
    with acting_as(label="load_classifier"):
        groups = {}
        for group in document["groups"]:
            groups[group["code"]], _created = AidGroup.objects.update_or_create(
                code=group["code"], defaults={k: group[k] for k in ("name_ru", "name_kk",
                                                                    "name_en")})
        for entry in document["items"]:
            item, created = CatalogueItem.objects.get_or_create(code=entry["code"], defaults={
                "group": groups[entry["group"]], "unit": entry["unit"],
                "replacement_months": entry["replacement_months"],
                "yearly_quantity": entry.get("yearly_quantity"),
                "needs_fitting": entry["needs_fitting"],
                **{k: entry[k] for k in ("name_ru", "name_kk", "name_en")}})
            counts["items created" if created else "items kept"] += 1
            if not item.caps.exists():
                PriceCap.objects.create(
                    item=item, amount=Decimal(str(entry["cap_kzt"])),
                    valid_from=INDICATIVE_FROM,
                    legal_act="Ориентировочная предельная цена (демонстрационная), "
                              "до утверждения приказом МТСЗН")
                counts["caps created"] += 1
    return counts


@transaction.atomic
def add_offer_photo(offer: Offer, handle: IO[bytes], size: int, alt_text: str, *,
                    by: User) -> OfferPhoto:
    """A supplier's photo of its offer: checked by content, stripped of metadata, with
    its description required."""
    if by.role != Role.SUPPLIER or by.organisation_id != offer.supplier_id:
        raise PermissionDenied
    if not alt_text.strip():
        raise ValidationError({"alt_text": _("Describe the photo for those who do not see "
                                             "it.")})
    if offer.photos.count() >= OfferPhoto.PER_OFFER:
        raise ValidationError({"photo": _("An offer has at most %(n)s photos.")
                               % {"n": OfferPhoto.PER_OFFER}})
    image = reencode_image(handle, size, max_size=OfferPhoto.MAX_SIZE)
    with acting_as(user=by):
        return OfferPhoto.objects.create(offer=offer, image=image,
                                         alt_text=alt_text.strip())
