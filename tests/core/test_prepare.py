"""`manage.py prepare`: every step announced with its rows and time, a step whose source
is unchanged skipped on the next start, and the load_* commands still there."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tendik.core import prepare
from tendik.core.models import AuditEvent, LoadRecord, Organisation
from tendik.core.prepare import Step, fingerprint, run_step, sources

pytestmark = pytest.mark.django_db


def region_loader(calls: list[int]) -> Step:
    def load() -> str:
        calls.append(1)
        Organisation.objects.create(code="TEST-ORG", kind=Organisation.Kind.NGO,
                                    name_ru="Тест", name_kk="Тест", name_en="Test")
        return "one region"
    return Step("test", "a test region", load, ("core/data/regions.csv",))


def test_it_loads_a_step_once_and_skips_it_while_its_source_is_unchanged(db):
    calls: list[int] = []
    step = region_loader(calls)
    lines: list[str] = []
    first = run_step(step, "print-1", lines.append)
    assert not first.skipped and first.rows == 1  # the organisation's audit event
    assert AuditEvent.objects.filter(model="core.organisation", action="create").count() == 1
    record = LoadRecord.objects.get(step="test")
    assert (record.fingerprint, record.rows) == ("print-1", 1)
    assert "1 audited rows written in" in lines[-1]

    again = run_step(step, "print-1", lines.append)
    assert again.skipped and calls == [1]
    assert "skipped" in lines[-1]

    Organisation.objects.filter(code="TEST-ORG").delete()
    changed = run_step(step, "print-2", lines.append)
    assert not changed.skipped and calls == [1, 1] and changed.rows == 1
    assert LoadRecord.objects.get(step="test").fingerprint == "print-2"


def test_a_failing_step_leaves_nothing_and_no_record(db):
    def load() -> str:
        Organisation.objects.create(code="TEST-BROKEN", kind=Organisation.Kind.NGO,
                                    name_ru="Т", name_kk="Т", name_en="T")
        raise RuntimeError("broken data")

    with pytest.raises(RuntimeError):
        run_step(Step("broken", "broken", load, ()), "x", lambda _line: None)
    assert not Organisation.objects.filter(code="TEST-BROKEN").exists()
    assert not LoadRecord.objects.filter(step="broken").exists()


def test_a_fingerprint_follows_the_data_and_the_steps_it_builds_on(tmp_path):
    files = sources("core/data/*.csv")
    assert len(files) == 3
    assert fingerprint(files) == fingerprint(reversed(files))
    assert fingerprint(files) != fingerprint(files[:2])
    prints = prepare.step_fingerprints(prepare.STEPS)
    assert len(set(prints.values())) == len(prepare.STEPS)
    moved = [Step(s.name, s.title, s.load, s.files, s.after) for s in prepare.STEPS]
    moved[0] = Step("reference", "", moved[0].load, ("core/data/regions.csv",))
    changed = prepare.step_fingerprints(moved)
    # The plan builds on the reference data, so it loads again; the checklist does not.
    assert changed["plan"] != prints["plan"] and changed["criteria"] == prints["criteria"]


def test_prepare_announces_every_step_and_a_second_start_skips_them(db):
    out = io.StringIO()
    call_command("prepare", stdout=out)
    text = out.getvalue()
    for number, title in enumerate(["database schema", "reference data", "National Plan",
                                    "target indicators", "checklist", "classifier",
                                    "background jobs"], start=1):
        assert f"[{number}/7] " in text and title in text
    assert "up to date" in text  # the test database is migrated already
    assert Organisation.objects.filter(code="AKIMAT-750000000").exists()
    assert LoadRecord.objects.count() == 5

    out = io.StringIO()
    call_command("prepare", stdout=out)
    assert out.getvalue().count("skipped") == 5
    assert "Demo logins" not in out.getvalue()


def test_prepare_refuses_the_demo_with_debug_off(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("prepare", "--demo", stdout=io.StringIO())
    assert not LoadRecord.objects.exists()


def test_each_load_command_still_works_on_its_own(db):
    for command in ["load_reference", "load_plan", "load_indicators", "load_criteria",
                    "load_classifier"]:
        out = io.StringIO()
        call_command(command, stdout=out)
        assert "created" in out.getvalue()
