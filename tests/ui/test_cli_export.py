"""`explainer export` renders figures, animations, data and code with no display."""
import csv
import os
import subprocess
import sys

import pytest
from PIL import Image

from explainer.core.language import language_model
from tests.ui.test_training_exports import run_script

pytestmark = pytest.mark.slow   # runs the CLI and exported scripts in new processes


def run_export(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "explainer", "export", *args, "--out", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=300)


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


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
    assert (tmp_path / "policy-history.csv").read_text().splitlines()[1].startswith("1,0.0,squatch,1.0")
    out = subprocess.run([sys.executable, str(tmp_path / "policy-lesson.py")], capture_output=True,
                         text=True, check=True).stdout
    assert "bias_after=-0.5" in out
    # the worked example once: the tab opens on it, and the script used to replay it twice
    script = (tmp_path / "policy-lesson.py").read_text()
    assert script.count("run.set(seed=0)") == 1
    assert script.count("run.episode(x=0.0, action='squatch', outcome='small', u=0.2)") == 1


def test_walkthrough_step_and_bad_arguments(tmp_path):
    ok = run_export(tmp_path, "--lesson", "essentials", "--walkthrough", "1", "--step", "4",
                    "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert "0.45" in (tmp_path / "essentials-history.csv").read_text()
    bad = run_export(tmp_path, "--format", "docx")
    assert bad.returncode == 2 and "unknown format" in bad.stderr
    missing = run_export(tmp_path, "--session", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot be read" in missing.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for args, says in ((("--scale", "nan"), "--scale: 'nan' must be from 0.25 to 4.0"),
                       (("--scale", "30"), "must be from 0.25 to 4.0"),
                       (("--timeout", "nan"), "--timeout: 'nan' must be from"),
                       (("--seed", "-1"), "--seed: '-1' must be from 0"),
                       (("--lesson", "rlhf", "--seed", str(10**20)), "--seed"),
                       (("--steps", "100000000"), "must be from 0 to 10000"),
                       (("--lesson", "essentials", "--parts", "nope"), "unknown part 'nope'"),
                       (("--lesson", "essentials", "--format", "gif"), "nothing to animate yet")):
        bad = run_export(tmp_path, *args)
        assert bad.returncode == 2 and says in bad.stderr and "Traceback" not in bad.stderr, \
            (args, bad.stderr)
    into_a_file = subprocess.run([sys.executable, "-m", "explainer", "export", "--out",
                                  str(a_file)], capture_output=True, text=True, timeout=300)
    assert into_a_file.returncode == 2 and "is a file, not a folder" in into_a_file.stderr


# --- lessons 3 and 4: trained in their training process, exported as the File menu does ---------
def numbers(lines, prefix):
    """The lines of a script's output that start with prefix, each as {name: value}."""
    return [dict(field.split("=", 1) for field in line.split() if "=" in field)
            for line in lines if line.startswith(prefix)]


def test_reward_lesson_trains_and_exports(tmp_path):
    result = run_export(tmp_path, "--lesson", "reward", "--train-steps", "12",
                        "--format", "png,gif,csv,py", "--parts", "tab,training plots")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {"reward-tab.png", "reward-training-plots.png", "reward-training.gif",
            "reward-history.csv", "reward-lesson.py"} <= names
    assert Image.open(tmp_path / "reward-tab.png").size == (3200, 1900)
    assert Image.open(tmp_path / "reward-training.gif").n_frames >= 6
    rows = read_csv(tmp_path / "reward-history.csv")
    trained = [r for r in rows if r["loss"]]
    assert [int(r["step"]) for r in trained] == list(range(1, 13))
    printed = run_script(tmp_path / "reward-lesson.py")   # no display, no Qt
    steps = numbers(printed, "step=")
    assert [(int(s["step"]), float(s["loss"]), float(s["accuracy"])) for s in steps] == \
        [(int(r["step"]), float(r["loss"]), float(r["training_accuracy"])) for r in trained]
    held = numbers(printed, "held_out ")
    assert [(int(h["step"]), float(h["accuracy"])) for h in held] == \
        [(int(r["step"]), float(r["held_out_accuracy"])) for r in rows if r["held_out_accuracy"]]


def test_rlhf_lesson_fine_tunes_runs_updates_and_exports(tmp_path):
    result = run_export(tmp_path, "--lesson", "rlhf", "--sft", "--updates", "6", "--seed", "3",
                        "--format", "png,gif,csv,py", "--parts", "plots over updates")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {"rlhf-plots-over-updates.png", "rlhf-training.gif", "rlhf-history.csv",
            "rlhf-history-sft.csv", "rlhf-lesson.py"} <= names
    assert Image.open(tmp_path / "rlhf-training.gif").n_frames >= 4
    rows = read_csv(tmp_path / "rlhf-history.csv")
    assert [int(r["update"]) for r in rows] == [1, 2, 3, 4, 5, 6]
    assert len(read_csv(tmp_path / "rlhf-history-sft.csv")) == language_model.SFT_EPOCHS
    script = tmp_path / "rlhf-lesson.py"
    assert "SEED = 3" in script.read_text()
    updates = numbers(run_script(script), "update=")
    printed = ("update", "mean_reward", "true_score", "kl", "logp_polite", "logp_rude")
    columns = ("update", "mean_learned_reward", "mean_true_score", "kl", "logp_polite",
               "logp_rude")
    assert [[float(u[c]) for c in printed] for u in updates] == \
        [[float(r[c]) for c in columns] for r in rows]


def test_reward_lesson_from_a_session_and_arguments_that_do_not_fit(tmp_path):
    from explainer.core.language.rankings import default_feedback
    from explainer.core.files.session import save_session
    session = tmp_path / "lecture.explainer.json"
    save_session(session, {"reward_model": {"feedback": default_feedback().to_dict(), "steps": 4,
                                            "learning_rate": 0.01, "optimizer": "adam"}})
    out = tmp_path / "out"
    opened = run_export(out, "--lesson", "reward", "--session", str(session),
                        "--train-steps", "2", "--format", "csv")
    assert opened.returncode == 0, opened.stderr
    rows = [r for r in read_csv(out / "reward-history.csv") if r["loss"]]
    assert [int(r["step"]) for r in rows] == [1, 2, 3, 4, 5, 6]   # replayed, then trained on
    no_rlhf = run_export(out, "--lesson", "rlhf", "--session", str(session))
    assert no_rlhf.returncode == 2 and "holds no rlhf lesson" in no_rlhf.stderr
    for args, says in ((("--lesson", "reward", "--updates", "3"), "--updates cannot be used"),
                       (("--lesson", "rlhf", "--train-steps", "3"), "--train-steps cannot be"),
                       (("--lesson", "policy", "--sft"), "--sft cannot be used"),
                       (("--lesson", "rlhf", "--updates", "-1"), "must be from 0 to 5000"),
                       (("--lesson", "reward", "--parts", "nope"), "unknown part 'nope'")):
        bad = run_export(out, *args)
        assert bad.returncode == 2 and says in bad.stderr and "Traceback" not in bad.stderr
