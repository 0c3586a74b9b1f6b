"""`explainer export` renders figures, animations, data and code with no display."""
import os
import subprocess
import sys

from PIL import Image


def run_export(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "explainer", "export", *args, "--out", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=300)


def test_worked_example_exports_every_format(tmp_path):
    result = run_export(tmp_path, "--lesson", "policy", "--worked-example", "--steps", "4",
                        "--format", "png,svg,gif,csv,py,ipynb", "--parts", "tab,equations",
                        "--scale", "1.5")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {"policy-tab.png", "policy-tab.svg", "policy-equations.png", "policy-episode.gif",
            "policy-history.csv", "policy-lesson.py", "policy-lesson.ipynb"} <= names
    assert Image.open(tmp_path / "policy-tab.png").size == (2400, 1425)
    assert Image.open(tmp_path / "policy-episode.gif").n_frames == 44
    assert (tmp_path / "policy-history.csv").read_text().splitlines()[1].startswith("1,0.0,1.0,1.0")
    out = subprocess.run([sys.executable, str(tmp_path / "policy-lesson.py")], capture_output=True,
                         text=True, check=True).stdout
    assert "bias_after=-0.5" in out


def test_walkthrough_step_and_bad_arguments(tmp_path):
    ok = run_export(tmp_path, "--lesson", "essentials", "--walkthrough", "1", "--step", "4",
                    "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert "0.45" in (tmp_path / "essentials-history.csv").read_text()
    bad = run_export(tmp_path, "--format", "docx")
    assert bad.returncode == 2 and "unknown format" in bad.stderr
    missing = run_export(tmp_path, "--session", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr
