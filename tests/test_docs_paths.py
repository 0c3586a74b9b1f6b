"""The README and the architecture map name files and link to them: every one must exist, so the
map stays true when code moves."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_every_linked_or_named_file_exists(doc):
    path = ROOT / doc
    text = path.read_text(encoding="utf-8")
    missing = [link for link in re.findall(r"\]\(([^)#\s]+)", text)
               if not link.startswith("http") and not (path.parent / link).exists()]
    missing += [name for name in re.findall(r"`((?:explainer|tests|benchmarks)/[\w/]+\.py)`", text)
                if not (ROOT / name).exists()]
    assert missing == []
