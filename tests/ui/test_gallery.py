"""`explainer gallery`: each view a PNG the size of the screen it was taken on, all in index.html."""
import pytest
from PySide6 import QtGui, QtWidgets

from explainer.gallery import parser, write_gallery
from explainer.gallery_shots import GalleryWindow

LESSON_VIEWS = ["1-essentials-start", "1-essentials-guess", "1-essentials-reward",
                "1-essentials-update", "2-policy-start", "2-policy-guess", "2-policy-derivative",
                "2-policy-reward", "2-policy-update"]


def _gallery(tmp_path, *options):
    args = parser().parse_args(["--out", str(tmp_path), "--sizes", "1024x768", *options])
    return write_gallery(QtWidgets.QApplication.instance(), args)


def _sizes(folder):
    return {path.stem: QtGui.QImage(str(path)).size().toTuple() for path in folder.glob("*.png")}


def test_tabs_1_and_2_at_each_phase_in_a_window_and_presenting(qtbot, tmp_path):
    written = _gallery(tmp_path, "--tabs", "1,2")
    # in a window the title bar takes 32 px of the screen; presenting, the whole screen
    assert _sizes(tmp_path / "1024x768" / "window") == {v: (1024, 736) for v in LESSON_VIEWS}
    assert _sizes(tmp_path / "1024x768" / "presenting") == {v: (1024, 768) for v in LESSON_VIEWS}
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert written[-1] == tmp_path / "index.html"
    for path in written[:-1]:
        assert f"'{path.relative_to(tmp_path).as_posix()}'" in index


def test_files_are_named_by_screen_mode_tab_and_phase(qtbot, tmp_path):
    written = _gallery(tmp_path, "--tabs", "2", "--no-presenting", "--sizes", "1280x720,1024x768")
    names = [p.relative_to(tmp_path).as_posix() for p in written[:-1]]
    assert names == [f"{size}/window/{view}.png" for size in ("1280x720", "1024x768")
                     for view in LESSON_VIEWS[4:]]
    assert not (tmp_path / "1024x768" / "presenting").exists()


def test_each_screen_starts_from_the_run_the_lessons_opened_with(qtbot):
    gallery = GalleryWindow(QtWidgets.QApplication.instance(), (1, 2), 10.0, 0, 0)
    tabs = (gallery.window.essentials_tab, gallery.window.policy_tab)
    opened = [tab.session_state() for tab in tabs]
    try:
        for presenting in (False, True):
            assert len(list(gallery.shots(1024, 768, presenting))) == len(LESSON_VIEWS)
            assert [tab.session_state() for tab in tabs] == opened
        assert not gallery.window.presenting
    finally:
        gallery.close()


@pytest.mark.slow
def test_tabs_3_and_4_are_trained_and_each_page_is_taken(qtbot, tmp_path):
    _gallery(tmp_path, "--tabs", "3,4", "--no-presenting", "--train-steps", "5", "--updates", "2",
             "--timeout", "600")
    assert _sizes(tmp_path / "1024x768" / "window") == {v: (1024, 736) for v in (
        "3-reward-model", "4-rlhf-stage-0", "4-rlhf-stage-1", "4-rlhf-stage-3-guess",
        "4-rlhf-stage-3-derivative", "4-rlhf-stage-3-reward", "4-rlhf-stage-3-update",
        "4-rlhf-results", "4-rlhf-over-optimisation")}


def test_a_screen_too_small_for_the_lesson_scrolls_and_the_index_says_so(qtbot, tmp_path):
    _gallery(tmp_path, "--tabs", "1", "--no-presenting", "--sizes", "400x300")
    assert set(_sizes(tmp_path / "400x300" / "window").values()) == {(400, 268)}
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "on a 400×268 px screen it scrolls" in index and "off screen" not in index
