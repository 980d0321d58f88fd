"""Keep the map's cluster cells current as facilities are saved and deleted one by one.
Bulk writes bypass these: the import rebuilds the cells (clusters.rebuild)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from tendik.access import clusters
from tendik.access.models import Facility

FIELDS = ("latitude", "longitude", "level", "access_k", "access_o", "access_s", "access_g",
          "access_u")


@receiver(pre_save, sender=Facility, dispatch_uid="access.facility_before")
def remember_counted(sender: Any, instance: Facility, raw: bool = False, **kwargs: Any) -> None:
    stored = Facility.objects.filter(pk=instance.pk).only(*FIELDS).first() \
        if instance.pk else None
    instance._counted = clusters.contribution(stored) if stored else None  # type: ignore[attr-defined]


@receiver(post_save, sender=Facility, dispatch_uid="access.facility_after")
def recount_saved(sender: Any, instance: Facility, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    clusters.move(getattr(instance, "_counted", None), clusters.contribution(instance))
    instance._counted = clusters.contribution(instance)  # type: ignore[attr-defined]


@receiver(post_delete, sender=Facility, dispatch_uid="access.facility_deleted")
def recount_deleted(sender: Any, instance: Facility, **kwargs: Any) -> None:
    clusters.move(clusters.contribution(instance), None)
