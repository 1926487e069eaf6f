"""Working days for the verification deadline: Saturdays, Sundays and the public holidays of Spain and of the
configured region (``WORKING_DAYS_REGION``, Catalonia by default) do not count, across a year's end too; the age
buckets and due times the work queue and the board show follow the same calendar; an unknown region stops the
settings from loading."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from workflows import services

MADRID = ZoneInfo("Europe/Madrid")
ROOT = Path(__file__).resolve().parents[2]


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=MADRID)


@pytest.fixture(autouse=True)
def _two_working_days(settings):
    settings.VERIFICATION_WORKING_DAYS = 2
    settings.WORKING_DAYS_REGION = "CT"


def test_a_weekend_does_not_count():
    assert services.add_working_days(at(2026, 3, 6, 10, 0), 2) == at(2026, 3, 10, 10, 0)  # Friday -> Tuesday
    assert services.add_working_days(at(2026, 3, 7, 16, 30), 1) == at(2026, 3, 9, 16, 30)  # Saturday -> Monday


def test_the_immaculate_conception_does_not_count():
    # Tuesday 8 December 2026 is a holiday all over Spain: Monday + 2 working days is Thursday, not Wednesday.
    assert services.add_working_days(at(2026, 12, 7, 10, 0), 2) == at(2026, 12, 10, 10, 0)


def test_christmas_and_a_weekend_together_do_not_count():
    # Friday 25 December 2026 is Christmas, Saturday 26 St Stephen's: Thursday 24 + 2 is Tuesday 29.
    assert services.add_working_days(at(2026, 12, 24, 9, 15), 2) == at(2026, 12, 29, 9, 15)


def test_a_deadline_across_the_year_end_skips_new_year_and_epiphany():
    # Thursday 31 December 2026 + 2: Friday 1 January is New Year's Day, then a weekend: Tuesday 5 January 2027.
    assert services.add_working_days(at(2026, 12, 31, 12, 0), 2) == at(2027, 1, 5, 12, 0)
    # Tuesday 5 January 2027 + 1: Wednesday 6 is Epiphany.
    assert services.add_working_days(at(2027, 1, 5, 12, 0), 1) == at(2027, 1, 7, 12, 0)


def test_the_diada_counts_only_outside_catalonia(settings):
    thursday = at(2026, 9, 10, 11, 0)  # Friday 11 September 2026 is Catalonia's national day
    assert services.add_working_days(thursday, 1) == at(2026, 9, 14, 11, 0)
    settings.WORKING_DAYS_REGION = "MD"
    assert services.add_working_days(thursday, 1) == at(2026, 9, 11, 11, 0)


def test_easter_monday_is_a_holiday_in_catalonia_and_not_in_madrid(settings):
    # 2026: Good Friday 3 April everywhere; Easter Monday 6 April in Catalonia only.
    assert services.add_working_days(at(2026, 4, 2, 10, 0), 1) == at(2026, 4, 7, 10, 0)
    settings.WORKING_DAYS_REGION = "MD"
    assert services.add_working_days(at(2026, 4, 3, 10, 0), 1) == at(2026, 4, 6, 10, 0)


def test_working_days_are_monday_to_friday_less_the_regions_holidays(settings):
    assert services.is_working_day(at(2026, 12, 7, 0, 0).date())
    assert not services.is_working_day(at(2026, 12, 8, 0, 0).date())
    assert not services.is_working_day(at(2026, 12, 12, 0, 0).date())  # a Saturday
    assert not services.is_working_day(at(2026, 6, 24, 0, 0).date())  # Sant Joan, in Catalonia
    settings.WORKING_DAYS_REGION = "MD"
    assert services.is_working_day(at(2026, 6, 24, 0, 0).date())


def test_the_verification_deadline_skips_the_holiday(monkeypatch):
    monday = at(2026, 12, 7, 17, 45)
    monkeypatch.setattr(timezone, "now", lambda: monday.astimezone(ZoneInfo("UTC")))
    assert services.verification_deadline(None) == at(2026, 12, 10, 17, 45)


def test_the_service_level_buckets_follow_the_same_calendar():
    created = at(2026, 12, 7, 10, 0)  # Monday; Tuesday is a holiday
    due = at(2026, 12, 10, 10, 0)
    assert services.service_level(created, at(2026, 12, 9, 9, 59)) == ("fresh", due)
    assert services.service_level(created, at(2026, 12, 9, 10, 0)) == ("aging", due)
    assert services.service_level(created, at(2026, 12, 10, 9, 59)) == ("aging", due)
    assert services.service_level(created, due) == ("breached", due)


def _load_settings(region: str | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "WORKING_DAYS_REGION"}
    env["DJANGO_SETTINGS_MODULE"] = "backoffice.settings"
    if region is not None:
        env["WORKING_DAYS_REGION"] = region
    code = "import django; django.setup(); from django.conf import settings; print(settings.WORKING_DAYS_REGION)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_region_defaults_to_catalonia_and_an_unknown_one_stops_the_start():
    default = _load_settings(None)
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip() == "CT"
    assert _load_settings("MD").stdout.strip() == "MD"
    refused = _load_settings("XX")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "WORKING_DAYS_REGION" in refused.stderr
    assert "'XX'" in refused.stderr
