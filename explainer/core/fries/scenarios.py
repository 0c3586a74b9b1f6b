"""Scenario files (resources/scenarios/*.json): an environment and starting policy for lesson 2.

Files are JSON only, validated field by field; anything malformed raises ScenarioError with a
message that says what is wrong and where.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from explainer.paths import resource
from explainer.core.fries.environment import FriesEnvironment
from explainer.core.files.jsonfile import checked_header, parse_json, read_text_file

FORMAT = "explainer-scenario"
MAX_BYTES = 64 * 1024


class ScenarioError(ValueError):
    pass


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    environment: FriesEnvironment
    weight: float
    bias: float
    learning_rate: float


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    data = checked_header(parse_json(text, source, ScenarioError), source, ScenarioError, FORMAT)
    env, policy = data.get("environment"), data.get("policy", {})
    if not isinstance(env, dict) or not isinstance(policy, dict):
        raise ScenarioError(f"{source}: 'environment' and 'policy' must be objects")
    try:
        environment = FriesEnvironment(**{k: _number(source, k, v) for k, v in env.items()})
    except TypeError as exc:
        raise ScenarioError(f"{source}: unknown environment field ({exc})") from None
    except ValueError as exc:
        raise ScenarioError(f"{source}: {exc}") from None
    values = {k: _number(source, k, policy.get(k, d))
              for k, d in (("weight", 20.0), ("bias", 0.0), ("learning_rate", 1.0))}
    name, description = data.get("name"), data.get("description", "")
    if not isinstance(name, str) or not name.strip() or not isinstance(description, str):
        raise ScenarioError(f"{source}: 'name' must be a non-empty string")
    return Scenario(name[:80], description[:1000], environment, **values)


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    return parse_scenario(read_text_file(path, MAX_BYTES, ScenarioError, "a scenario"), path.name)


def shipped_scenarios() -> list[Scenario]:
    """The scenarios in resources/, the videos' own first."""
    folder = resource("scenarios")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")),
                   key=lambda f: (f.name != "fries.json", f.name))
    return [parse_scenario(f.read_text(encoding="utf-8"), f.name) for f in files]


def _number(source: str, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScenarioError(f"{source}: '{key}' must be a finite number, got {value!r}")
    return float(value)
