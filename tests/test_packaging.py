"""Resources load from a checkout (tested everywhere else) and from an installed wheel."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow   # builds and installs the wheel

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_resources_and_loads_them_when_installed(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("explainer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "explainer/resources/scenarios/fries.json" in names
    assert "explainer/resources/rlhf/feedback.json" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    code = ("import explainer.core.fries.scenarios as s, explainer.paths as p;"
            "assert 'site' in str(p.resource_dir()), p.resource_dir();"
            "print(len(s.shipped_scenarios()))")
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert int(out.stdout) >= 2
