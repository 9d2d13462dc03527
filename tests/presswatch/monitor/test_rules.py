"""Spike sensitivity: names and k values accepted, anything else refused with what is accepted."""

from __future__ import annotations

import pytest

from presswatch.config import Settings, SettingsError
from presswatch.monitor.rules import SpikeRules, parse_sensitivity


@pytest.mark.parametrize("given, k", [("high", 1.5), ("Medium", 2.0), (" low ", 3.0), ("1.5", 1.5), ("2", 2.0),
                                      (3, 3.0), (2.0, 2.0)])
def test_sensitivity_by_name_or_k(given, k):
    assert parse_sensitivity(given) == k


@pytest.mark.parametrize("given", ["2.5", "extreme", "", 0, True, None, 4])
def test_other_sensitivities_are_refused(given):
    with pytest.raises(ValueError, match="high \\(k=1.5\\), medium \\(k=2\\) or low \\(k=3\\)"):
        parse_sensitivity(given)


def test_the_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_SPIKE_SENSITIVITY", "low")
    assert Settings.load().spike_sensitivity == 3.0
    monkeypatch.setenv("PRESSWATCH_SPIKE_SENSITIVITY", "very")
    with pytest.raises(SettingsError, match="PRESSWATCH_SPIKE_SENSITIVITY: 'very' must be high"):
        Settings.load()
    monkeypatch.delenv("PRESSWATCH_SPIKE_SENSITIVITY")
    with pytest.raises(SettingsError, match="spike_min_articles"):
        Settings.load(spike_min_articles=2)


def test_rules_check_themselves():
    assert SpikeRules() == SpikeRules(k=2.0, min_articles=5, max_age_days=2)
    with pytest.raises(ValueError, match="min_articles must be >= 3"):
        SpikeRules(min_articles=2)
    with pytest.raises(ValueError):
        SpikeRules(k=2.5)
