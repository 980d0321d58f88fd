"""The demo tells a true story: what each demo login meets is open and coherent (the
browser walks the journeys in tests/e2e/test_demo_journeys.py)."""

from __future__ import annotations

from django.db.models import Avg, Max
from django.utils import timezone

from tendik.care import demo as care_demo
from tendik.care.models import CareForm, Placement
from tendik.core.demo import load_demo as load_accounts
from tendik.core.models import Role, User
from tendik.people.models import DisabilityRecord
from tendik.portal import demo as portal_demo
from tendik.portal.journey import matching_offers, persons_for
from tendik.portal.models import Entitlement, Offer, Order, SupplierRating
from tendik.portal.services import load_classifier
from tendik.workforce import demo as workforce_demo
from tendik.workforce.models import SocialWorker


def test_the_demo_story_holds_together(reference):
    load_accounts()
    load_classifier()
    portal_demo.load_demo()
    care_demo.load_demo()
    workforce_demo.load_demo()
    today = timezone.localdate()

    # The representative has something to order for the child, and a delivery to confirm.
    guardian = User.objects.get(username="demo.representative")
    child = persons_for(guardian).exclude(account=guardian).get()
    entitlements = list(Entitlement.objects.filter(ipr__person=child))
    assert any(e.balance.left > 0 and matching_offers(e).exists() for e in entitlements)
    orders = Order.objects.filter(person=child)
    assert orders.exists() and all(o.placed_by == guardian for o in orders)
    assert orders.filter(state=Order.State.DELIVERED).exists()
    # The recipient too.
    recipient = User.objects.get(username="demo.recipient")
    assert any(e.balance.left > 0 and matching_offers(e).exists()
               for e in Entitlement.objects.filter(ipr__person__account=recipient))

    # Orders are placed by the person or their representative, never by an akimat's staff.
    assert not Order.objects.filter(placed_by__role=Role.AKIMAT_OFFICIAL).exists()
    # One order holds one aid or a month's supply, not a year's 1,825 catheters.
    largest = Order.objects.aggregate(most=Max("quantity"))["most"]
    assert largest is not None and largest <= 200

    # A group «indefinitely» has no re-examination; every re-examination is still ahead.
    assert not DisabilityRecord.objects.filter(end__isnull=True,
                                               reexamination__isnull=False).exists()
    assert not DisabilityRecord.objects.filter(reexamination__lt=today).exists()

    # Nobody living in a residential home has aids delivered to a home address.
    residents = Placement.objects.filter(form__in=[CareForm.RESIDENTIAL, CareForm.TEMPORARY],
                                         end__isnull=True).values("person")
    assert Placement.objects.filter(form=CareForm.RESIDENTIAL).exists()
    assert not Order.objects.filter(person__in=residents).exists()

    # An Almaty recipient can still choose a social worker with a free place.
    almaty = [w for w in SocialWorker.objects.filter(regions__kato="750000000")
              if w.certificate_on(today) is not None]
    assert any(w.assignments.count() < w.capacity for w in almaty)

    # Suppliers are rated differently; products have names, not «модель 515».
    averages = {row["supplier"]: round(row["stars"], 1) for row in
                SupplierRating.objects.values("supplier").annotate(stars=Avg("stars"))}
    assert len(averages) >= 2 and len(set(averages.values())) == len(averages)
    assert not Offer.objects.filter(title__contains="модель").exists()
