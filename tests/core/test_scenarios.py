import json

import pytest

from explainer.core.fries.scenarios import ScenarioError, load_scenario, parse_scenario, shipped_scenarios


def test_shipped_scenarios_load_and_the_videos_come_first():
    scenarios = shipped_scenarios()
    assert len(scenarios) >= 2
    first = scenarios[0]
    assert first.environment.p_large_norm == 0.8 and first.environment.p_large_squatch == 0.2
    assert (first.weight, first.bias, first.learning_rate) == (20.0, 0.0, 1.0)


@pytest.mark.parametrize("text", [
    "", "{", "[]", '{"format": "explainer-scenario", "version": 2}',
    '{"format": "explainer-scenario", "version": 1, "name": "x", "environment": {"p_large_norm": NaN}}',
    '{"format": "explainer-scenario", "version": 1, "name": "x", "environment": {"p_large_norm": 3}}',
    '{"format": "explainer-scenario", "version": 1, "name": "x", "environment": {"bogus": 1}}',
    '{"format": "explainer-scenario", "version": 1, "name": "x", "environment": {"reward_fit": "1"}}',
    '{"format": "explainer-scenario", "version": 1, "name": "", "environment": {}}',
    "[" * 100000,
])
def test_malformed_scenarios_get_a_clear_error(text):
    with pytest.raises(ScenarioError):
        parse_scenario(text)


def test_non_utf8_and_huge_files_are_rejected(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe{")
    with pytest.raises(ScenarioError, match="UTF-8"):
        load_scenario(bad)
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"pad": "x" * 100_000}))
    with pytest.raises(ScenarioError, match="larger"):
        load_scenario(huge)
