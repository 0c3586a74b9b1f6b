"""The notes' terms and their definitions (resources/glossary.json)."""
from __future__ import annotations

from explainer.paths import read_text
from explainer.core.files.jsonfile import parse_json


class GlossaryError(ValueError):
    pass


def glossary() -> dict[str, str]:
    data = parse_json(read_text("glossary.json"), "glossary.json", GlossaryError)
    return {item["term"]: item["definition"] for item in data["terms"]}
