from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tendik.core.forms import DecimalField
from tendik.core.once import SentOnce
from tendik.core.photo_forms import KeepsPhoto
from tendik.portal.models import Complaint, Offer, OfferPhoto


class OrderForm(forms.Form):
    """The last page before an order: how many, how it arrives, where. The key makes a
    repeated submission return the same order."""

    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    delivery = forms.ChoiceField(label=_("How it reaches you"), widget=forms.RadioSelect)
    address = forms.CharField(label=_("Delivery address"), max_length=300,
                              help_text=_("Village or town, street, house, flat."),
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, offer: Offer, left: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        labels = dict(Offer.Delivery.choices)
        self.fields["delivery"].choices = [  # type: ignore[attr-defined]
            (d, labels[d]) for d in offer.delivery]
        most = max(left, 1)
        between = format_lazy(_("Enter a quantity from 1 to {most}."), most=most)
        self.fields["quantity"] = forms.IntegerField(
            label=_("Quantity"), min_value=1, max_value=most,
            help_text=format_lazy(_("Left on your entitlement: {left}."), left=left),
            error_messages={"required": between, "invalid": between, "min_value": between,
                            "max_value": between})
        if len(offer.delivery) == 1:
            self.fields["delivery"].initial = offer.delivery[0]


class MoveForm(forms.Form):
    """One step of an order. A step that undoes what the other side counts on (declining,
    disputing, cancelling someone else's order) asks for the reason, which they are told."""

    to = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, needs_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        comment = self.fields["comment"]
        if needs_reason:
            comment.required = True
            comment.error_messages["required"] = _("Say why: the reason is shown to the "
                                                   "other side and sent to them.")
            to = self.initial.get("to") or (self.data.get(self.add_prefix("to"))
                                            if self.is_bound else "")
            comment.label = (_("What is wrong with the delivery?") if to == "disputed"
                             else _("Reason"))
            comment.help_text = _("The other side sees it on the order's page and gets it "
                                  "by e-mail.")


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How do you rate the supplier?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — excellent")), (4, _("4 — good")), (3, _("3 — acceptable")),
                 (2, _("2 — poor")), (1, _("1 — very poor"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintForm(SentOnce):
    text = forms.CharField(label=_("What went wrong?"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("The supplier answers, then the akimat decides."))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", Complaint.State.UPHELD.label),
                 ("no", Complaint.State.DISMISSED.label)])
    text = forms.CharField(label=_("Reasons"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("Why is the claim rejected?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class OfferForm(forms.ModelForm):
    delivery = forms.MultipleChoiceField(label=_("Delivery"), choices=Offer.Delivery.choices,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Offer
        fields = ["item", "title", "price", "specifications", "delivery", "lead_time_days",
                  "fitting", "active"]
        field_classes = {"price": DecimalField}


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Order number"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tendik.portal.models import Order

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", _("Under way")), (self.ALL, _("All states")), *Order.State.choices]

    ALL = "all"

    def apply(self, orders: Any) -> Any:
        """Orders under way unless another state (or all) is chosen; a number finds one."""
        from tendik.portal.models import Order

        state = self.cleaned_data.get("state", "") if self.is_valid() else ""
        if state == self.ALL:
            pass
        elif state:
            orders = orders.filter(state=state)
        else:
            orders = orders.filter(state__in=Order.OPEN_STATES)
        number = (self.cleaned_data.get("q") or "" if self.is_valid() else "").strip()
        number = number.upper().removeprefix("ТСР-")
        if number.isdigit():
            orders = orders.filter(pk=int(number))
        return orders


class OfferPhotoForm(KeepsPhoto):
    """A photo of an offer and its description; the photo is kept when only the
    description is missing (tendik/core/photo_forms.py)."""

    photo_max_size = OfferPhoto.MAX_SIZE
    photo = forms.FileField(label=_("Photo"), help_text=_(
        "JPEG, PNG or WebP, up to 10 MB. Location and camera data are removed."))
    alt_text = forms.CharField(
        label=_("Description of the photo"), max_length=300,
        help_text=_("What the photo shows, for those who do not see it."),
        error_messages={"required": _("Describe the photo for those who do not see it.")})


class ClaimFilterForm(forms.Form):
    """The supplier's claims: a year (its months' totals too), a state, an order."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Order number"), required=False, max_length=20)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        from tendik.portal.models import Reimbursement

        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", _("All states")), *Reimbursement.State.choices]
        self.default_year = years[0]

    def values(self) -> tuple[int, str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return (data.get("year") or self.default_year, data.get("state") or "",
                data.get("q") or "")
