"""Indicators loaded before: the two that shared the decree's wording «доля школ и детских
садов…» get the names of what each measures (schools, kindergartens) and their share of the
decree's 2020 target; the appendix indicators lose the extraction trace «(в тексте
приложения — …)» from their names. Names an analyst changed since are left alone."""

import json
import re
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "indicators.json"
SHARED = "доля школ и детских садов, создавших условия для детей с особыми образовательными " \
         "потребностями"
TRACE = re.compile(r"\s*\((?:в тексте приложения|қосымша мәтінінде) [–—] «[^»]*»\)")
TARGETS = {
    "schools-with-sen-conditions": ("В 2020 году в 30 % детских садов и 70 % школ",
                                    "В 2020 году в … 70 % школ"),
    "kindergartens-with-sen-conditions": ("В 2020 году в 30 % детских садов —",
                                          "В 2020 году в 30 % детских садов … будут созданы "
                                          "условия для инклюзивного образования —"),
}


def rename(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Target = apps.get_model("indicators", "Target")
    shipped = {item["code"]: item for item in
               json.loads(DATA.read_text(encoding="utf-8"))["indicators"]}
    for indicator in Indicator.objects.filter(code__in=list(shipped)):
        item = shipped[indicator.code]
        changed = []
        if indicator.name_ru == SHARED or TRACE.search(indicator.name_ru):
            indicator.name_ru = item["name_ru"]
            changed.append("name_ru")
        if TRACE.search(indicator.name_kk) or "мектептер мен балабақшалардың" in \
                indicator.name_kk:
            indicator.name_kk = item["name_kk"]
            changed.append("name_kk")
        if changed:
            indicator.save(update_fields=changed)
    for code, (old, new) in TARGETS.items():
        for target in Target.objects.filter(indicator__code=code, source_text__startswith=old):
            target.source_text = new + target.source_text[len(old):]
            target.save(update_fields=["source_text"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_reporting_and_computed")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
