"""A supplier's photo of an offer is kept when only its description is missing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tendik.core.models import Role
from tendik.portal.models import OfferPhoto
from tests.factories import UserFactory
from tests.portal.conftest import Market


def jpeg(name: str = "коляска.jpg") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 10, 200)).save(out, format="JPEG")
    out.seek(0)
    out.name = name
    return out


@pytest.mark.django_db
def test_the_offer_photo_is_kept_for_its_uploader(market: Market, client_for, settings,
                                                  tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    url = f"/ru/portal/supplier/offers/{market.offer.pk}/photos/"
    supplier = client_for(market.supplier_user)
    refused = supplier.post(url, {"photo": jpeg(), "alt_text": ""})
    form = refused.context["photo_form"]
    assert refused.status_code == 200 and "alt_text" in form.errors
    assert form.kept is not None and "«коляска.jpg»" in refused.content.decode()
    # A colleague of the same supplier has their own uploads, not this one.
    colleague = UserFactory(role=Role.SUPPLIER, organisation=market.supplier,
                            username="colleague")
    theirs = client_for(colleague).post(url, {"kept_photo": form.kept.token,
                                              "alt_text": "Коляска сбоку"})
    assert "photo" in theirs.context["photo_form"].errors
    assert not OfferPhoto.objects.exists()
    added = supplier.post(url, {"kept_photo": form.kept.token, "alt_text": "Коляска сбоку"})
    assert added.status_code == 302
    assert OfferPhoto.objects.get().alt_text == "Коляска сбоку"
