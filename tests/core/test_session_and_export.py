import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings, strategies as st

from explainer.core.files.export_code import describe, notebook, script
from explainer.core.fries.policy_gradient import PolicyGradientRun
from explainer.core.fries.essentials import EssentialsRun
from explainer.core.files.session import (SessionError, lesson_state, load_session, parse_session,
                                    restore_lesson, save_session, session_json)


def busy_policy_run():
    run = PolicyGradientRun(seed=3)
    run.episode(x=0.0, action="squatch", outcome="small", u=0.2)
    for _ in range(6):
        run.step()
    run.back()
    run.set(learning_rate=0.4)
    run.set(bias=1.5)
    run.fast_forward(25)
    run.step()
    run.step()
    return run


def test_a_saved_session_replays_to_the_same_records(tmp_path):
    run = busy_policy_run()
    path = tmp_path / "s.explainer.json"
    save_session(path, {"policy": lesson_state(run)})
    again = restore_lesson("policy", load_session(path)["policy"])
    assert again.cursor == run.cursor
    assert [again.history[i] for i in range(len(again.history))] == \
        [run.history[i] for i in range(len(run.history))]
    assert (again.trace.array("bias") == run.trace.array("bias")).all()


@pytest.mark.slow
def test_exported_script_prints_the_apps_numbers(tmp_path):
    run = busy_policy_run()
    path = tmp_path / "lesson.py"
    path.write_text(script("policy", lesson_state(run)))
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"} | {"QT_QPA_PLATFORM": "minimal"}
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env=env).stdout.splitlines()
    expected = [describe("policy", run.history[i]) for i in range(run.cursor + 1)]
    assert out[:-1] == expected
    assert out[-1] == f"episodes done: {run.episodes_done}"
    assert "PySide6" not in path.read_text()


def test_exported_notebook_holds_the_same_code():
    run = EssentialsRun()
    run.visit(action="norm", outcome="large")
    nb = json.loads(notebook("essentials", lesson_state(run)))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "run.visit(action='norm', outcome='large')" in code
    namespace: dict = {}
    import contextlib, io
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "notebook", "exec"), namespace)
    assert "p_squatch_after=0.45" in buffer.getvalue()


@pytest.mark.parametrize("text", [
    "", "{", "[]", '{"format": "explainer-session", "version": 99, "parts": {}}',
    '{"format": "something-else", "version": 1, "parts": {}}',
    '{"format": "explainer-session", "version": 1, "parts": []}',
    '{"format": "explainer-session", "version": 1, "parts": {"policy": 3}}',
    '{"format": "explainer-session", "version": 1, "parts": {"policy": {"x": NaN}}}',
])
def test_malformed_session_documents_are_rejected(text):
    with pytest.raises(SessionError):
        parse_session(text)


@pytest.mark.parametrize("state", [
    {"init": {}, "log": [{"op": "__import__", "args": {}}]},
    {"init": {}, "log": [{"op": "set", "args": {"learning_rate": "fast"}}]},
    {"init": {}, "log": [{"op": "set", "args": {"learning_rate": -3.0}}]},
    {"init": {}, "log": [{"op": "step", "args": {}, "count": 10**9}]},
    {"init": {}, "log": [{"op": "fast_forward", "args": {"n": 10**12}}]},
    {"init": {"seed": 0, "evil": 1}, "log": []},
    {"init": {"environment": {"p_large_norm": 7}}, "log": []},
    {"init": {}, "log": [{"op": "episode", "args": {"action": "fries"}}]},
    {"init": {}, "log": [{"op": "set", "args": {"bias": {"nested": [1]}}}]},
    {"init": [], "log": []},
])
def test_hostile_lesson_states_are_refused(state):
    with pytest.raises(SessionError):
        restore_lesson("policy", state)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) |
                           st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(state=json_values)
def test_any_json_as_a_lesson_state_is_refused_or_restored_never_crashes(state):
    try:
        restore_lesson("policy", state)
    except SessionError:
        pass


@settings(max_examples=100, deadline=None)
@given(blob=st.binary(max_size=300))
def test_any_bytes_as_a_session_file_give_a_clear_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("fuzz") / "s.json"
    path.write_bytes(blob)
    try:
        load_session(path)
    except SessionError as exc:
        assert str(exc)


@pytest.mark.slow
def test_a_save_killed_midway_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "s.json"
    save_session(path, {"policy": lesson_state(PolicyGradientRun())})
    before = path.read_bytes()
    code = textwrap.dedent(f"""
        import os, signal
        from explainer.core.files import jsonfile
        real = os.fsync
        def die(fd):
            os.kill(os.getpid(), signal.SIGKILL)   # killed after writing, before the rename
        os.fsync = die
        jsonfile.atomic_write({str(path)!r}, b'{{"half": ', ValueError)
    """)
    result = subprocess.run([sys.executable, "-c", code])
    assert result.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert parse_session(before.decode())  # still a valid session


def test_version_1_files_still_open_and_unknown_versions_are_refused():
    run = busy_policy_run()
    saved = json.loads(session_json({"policy": lesson_state(run)}))
    assert saved["version"] == 2
    old = json.dumps(saved | {"version": 1})
    again = restore_lesson("policy", parse_session(old)["policy"])   # replayed as before
    assert again.cursor == run.cursor
    assert [again.history[i] for i in range(len(again.history))] == \
        [run.history[i] for i in range(len(run.history))]
    for version in (3, 0, "2", None, True):
        with pytest.raises(SessionError, match="version"):
            parse_session(json.dumps(saved | {"version": version}))
