"""The README's command lines run as written after its install, which activates nothing."""
import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _shell_lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_every_explainer_command_names_the_virtual_environments_copy():
    commands = [line for line in _shell_lines() if re.search(r"(^|\s|/)explainer\s", line)]
    assert len(commands) >= 5
    for line in commands:
        for word in shlex.split(line):
            if word == "explainer" or word.endswith("/explainer"):   # the command, not a module
                assert word == ".venv/bin/explainer", line


def test_the_export_examples_are_accepted_by_the_export_command():
    from explainer.cli import _misused, parser
    examples = [shlex.split(line) for line in _shell_lines() if " export " in line]
    assert len(examples) >= 5
    for words in examples:
        assert words[:2] == [".venv/bin/explainer", "export"], words
        args = parser().parse_args(words[2:])
        assert _misused(args) is None, words
