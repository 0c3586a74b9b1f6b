"""The core's modules moved into subpackages; scripts exported by older versions import them by
their old flat names, and those names must still give the very same modules."""
import importlib
import subprocess
import sys

import pytest

import explainer.core as core


@pytest.mark.parametrize("old", sorted(core.MOVED))
def test_an_old_module_name_is_the_moved_module(old):
    moved = importlib.import_module(f"explainer.core.{core.MOVED[old]}")
    assert importlib.import_module(f"explainer.core.{old}") is moved


def test_every_old_name_points_at_a_module_that_exists():
    for new in core.MOVED.values():
        assert importlib.util.find_spec(f"explainer.core.{new}") is not None, new


def test_the_old_rlhf_module_names_are_found_in_the_rlhf_package():
    from explainer.core.rlhf import RLHFRun  # the old `explainer.core.rlhf` module
    from explainer.core.rlhf.run import RLHFRun as moved
    assert RLHFRun is moved
    with pytest.raises(AttributeError):
        core.rlhf.no_such_name


def test_a_script_exported_before_the_move_still_runs():
    script = (
        "from explainer.core.policy_gradient import PolicyGradientRun\n"
        "from explainer.core.essentials import EssentialsRun\n"
        "import explainer.core.session as session\n"
        "run = PolicyGradientRun(seed=0)\n"
        "run.step()\n"
        "print(type(run).__module__, session.__name__)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["explainer.core.fries.policy_gradient", "explainer.core.files.session"]


def test_the_code_itself_imports_modules_by_their_new_names():
    """Old names are for scripts from earlier versions; the package, its tests and benchmarks use
    the new ones (an old name works, but hides where a module lives)."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[2]
    old = re.compile(r"(?:explainer|from \.+)core\.(" + "|".join(sorted(core.MOVED, key=len, reverse=True)) + r")\b(?!\.)")
    found = []
    for folder in ("explainer", "tests", "benchmarks"):
        for path in (root / folder).rglob("*.py"):
            if path.name in ("test_old_import_paths.py",) or path == root / "explainer/core/__init__.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                names = re.match(r"\s*from (?:explainer|\.+)\.?core import ([\w, ]+)", line)
                if old.search(line) or (names and set(re.findall(r"\w+", names[1])) & set(core.MOVED)):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []


def test_each_core_module_imports_first_without_a_cycle():
    """Every module of the core imported first, in a clean import state: an import cycle that the
    usual order hides (the RLHF package's forwarding of old names once made one) fails here."""
    script = (
        "import importlib, pkgutil, sys\n"
        "import explainer.core as core\n"
        "names = [m.name for m in pkgutil.walk_packages(core.__path__, 'explainer.core.')]\n"
        "for name in names:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('explainer.core.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout) >= 45
