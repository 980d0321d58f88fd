"""Claims' checks keep the facts they found (from which people read a sentence in their
language) instead of a line of developer text; a rejected claim keeps who rejected it, as
what and when. The checks and rejections already made are carried over: the facts from
each check's old line and from its order, the rejections from the order's history."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


AMOUNT = r"(\d+(?:\.\d+)?)"


def _iso(day):
    return day.isoformat() if day else None


def _local_day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date() if moment else None


def facts_of(check, order):
    """What the check found, from its old line and its order (rows as they were)."""
    code, detail = check.code, check.detail or ""
    if code == "NOT-RECEIVED":
        return {"received_on": _iso(_local_day(order.received_at))}
    if code == "ENT-VALID":
        ipr = order.entitlement.ipr
        return {"ipr": ipr.number, "version": ipr.version,
                "valid_from": _iso(ipr.valid_from), "valid_to": _iso(ipr.valid_to),
                "ordered_on": _iso(order.ordered_on),
                "person_matches": ipr.person_id == order.person_id,
                "item_matches": order.entitlement.item_id == order.item_id}
    if code == "ENT-BALANCE":
        found = re.fullmatch(r"\s*(\d+) \+ (\d+) / (\d+)\s*", detail)
        if found:
            earlier, quantity, granted = (int(n) for n in found.groups())
        else:
            earlier, quantity, granted = 0, order.quantity, order.entitlement.quantity
        return {"earlier": earlier, "quantity": quantity, "granted": granted}
    if code == "PRICE-CAP":
        found = re.match(rf"\s*{AMOUNT} [>≤] {AMOUNT}(?: \((.*)\))?\s*$", detail)
        if found:
            price, cap, act = found.group(1), found.group(2), found.group(3) or ""
        else:
            price, cap, act = str(order.unit_price), str(order.unit_cap or ""), ""
        return {"price": price, "cap": cap, "legal_act": act}
    if code in ("PRICE-NOCAP", "SUP-ACCRED"):
        return {"ordered_on": _iso(order.ordered_on)}
    if code == "REPL-TERM":
        facts = {"months": order.item.replacement_months,
                 "delivered_on": _iso(_local_day(order.received_at))}
        number = re.search(r"ТСР-\d+", detail)
        day = re.search(r"\d{4}-\d{2}-\d{2}", detail)
        if number:
            facts["previous"] = number.group(0)
        if day:
            facts["previous_on"] = day.group(0)
        return facts
    return {}


def carry_over(apps, schema_editor):
    Check = apps.get_model("portal", "ReimbursementCheck")
    Claim = apps.get_model("portal", "Reimbursement")
    Event = apps.get_model("portal", "OrderEvent")
    for check in Check.objects.select_related(
            "reimbursement__order__entitlement__ipr", "reimbursement__order__item"
    ).iterator(chunk_size=2000):
        Check.objects.filter(pk=check.pk).update(
            facts=facts_of(check, check.reimbursement.order))
    for claim in Claim.objects.filter(state="rejected").iterator(chunk_size=2000):
        step = (Event.objects.filter(order_id=claim.order_id, to_state="rejected")
                .order_by("-at", "-pk").first())
        if step is not None and step.by_id is not None and step.from_state:
            Claim.objects.filter(pk=claim.pk).update(
                rejected_by_id=step.by_id, rejected_at=step.at,
                rejected_as=step.from_state if step.from_state in ("accountant", "head")
                else "")
        else:  # rejected by the rule checks when it was filed
            Claim.objects.filter(pk=claim.pk).update(rejected_at=claim.checked_at)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_indexes_for_queues_and_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='reimbursement',
            name='rejected_as',
            field=models.CharField(blank=True, choices=[('accountant', 'accountant'), ('head', 'head')], max_length=10, verbose_name='rejected at the stage'),
        ),
        migrations.AddField(
            model_name='reimbursement',
            name='rejected_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='rejected'),
        ),
        migrations.AddField(
            model_name='reimbursement',
            name='rejected_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rejected by'),
        ),
        migrations.AddField(
            model_name='reimbursementcheck',
            name='facts',
            field=models.JSONField(blank=True, default=dict, verbose_name='what was found'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='reimbursementcheck',
            name='detail',
        ),
        migrations.AlterField(
            model_name='reimbursementcheck',
            name='code',
            field=models.CharField(choices=[('NOT-RECEIVED', 'Receipt confirmed by the recipient'), ('ENT-VALID', 'Valid entitlement'), ('ENT-BALANCE', 'Balance of the entitlement'), ('PRICE-NOCAP', 'Price cap in force'), ('PRICE-CAP', 'Price within the cap'), ('SUP-ACCRED', 'Supplier accredited'), ('REPL-TERM', 'Replacement term')], max_length=14, verbose_name='reason code'),
        ),
    ]
