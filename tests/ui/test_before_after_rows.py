"""The RLHF tab's before/after rows at lecture size (1600×950, zoom 1): all three show in full.

Its own module, early in the run: the check is of the layout a lecturer gets on a fresh start, and
a tab built after other tests have changed the application's text size lays out differently."""
import tempfile
from pathlib import Path

import pytest
from PySide6 import QtCore, QtGui

from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
from explainer.ui.rlhf_tab.tab import RLHFTab
from explainer.ui.theme.style import BASE_POINT_SIZE

pytestmark = pytest.mark.slow   # the RLHF tab's training process builds and trains the models

READY_MS = 90_000
WORK_MS = 60_000


def test_every_before_after_row_is_fully_visible_at_lecture_size(qtbot, qapp):
    before = QtGui.QFont(qapp.font())
    font = QtGui.QFont(before)
    font.setPointSizeF(BASE_POINT_SIZE)
    qapp.setFont(font)
    ready = RLHFTab(FeedbackLink())
    try:
        ready.resize(1600, 950)
        ready.show()
        qtbot.waitUntil(lambda: ready.controller.is_ready, timeout=READY_MS)
        _check(qtbot, ready)
    finally:
        ready.shutdown()
        ready.deleteLater()
        qapp.setFont(before)


def _check(qtbot, ready):
    c, compare = ready.controller, ready.policy.compare
    ready.stages.setCurrentWidget(ready.policy)
    qtbot.waitUntil(lambda: all(cell for row in compare.texts() for cell in row), timeout=WORK_MS)
    viewport = compare.parentWidget()

    def last_row_shown() -> bool:
        # the rows are drawn one per event-loop turn and the splitter then makes room for them:
        # on a busy machine that takes a few turns, so wait for it (a clipped row never passes)
        for cell in compare.cells[-1]:
            bottom = cell.mapTo(viewport, QtCore.QPoint(0, cell.height())).y()
            if bottom > viewport.height() or cell.height() < cell.heightForWidth(cell.width()):
                return False
        return True

    qtbot.waitUntil(last_row_shown, timeout=5000)




def test_every_before_after_row_is_fully_visible_zoomed_in_and_presenting(qtbot, qapp,
                                                                            fresh_window):
    """Ctrl+= twice at 1600×950, and presentation mode (F5, F to the rows, then Ctrl+= twice
    more): the splitter is fitted again for the larger text, so the last row never needs
    scrolling; presenting, the rows alone fill the stage.
    The offscreen screen is 800×800, so presentation is shown on a 1600×950 window."""
    before = QtGui.QFont(qapp.font())
    window = fresh_window
    window.resize(1600, 950)
    tab = window.rlhf_tab
    window.tabs.setCurrentWidget(tab)
    try:
        qtbot.waitUntil(lambda: tab.controller.is_ready, timeout=READY_MS)
        for step in range(3):            # zoom 1, 1.15, 1.3
            if step:
                qtbot.keyClick(window, QtCore.Qt.Key.Key_Equal,
                               QtCore.Qt.KeyboardModifier.ControlModifier)
            assert window.zoom == (1.0, 1.15, 1.3)[step]
            _check(qtbot, tab)
        window.zoom_reset()
        qtbot.keyClick(window, QtCore.Qt.Key.Key_F5)
        assert window.presenting and window.zoom == 1.15
        window.showNormal()
        window.resize(1600, 950)
        while tab.policy.focus != "rows":   # presenting, stage 3 shows one panel at a time (F)
            tab.cycle_focus()
        for step in range(3):            # zoom 1.15, 1.3, 1.5 with the controls hidden
            if step:
                window.zoom_in()
            _check(qtbot, tab)
        tab.grab().save(str(Path(tempfile.gettempdir()) / "before-after-presenting-1.5.png"))
    finally:
        window.leave_presentation()
        window.zoom_reset()
        tab.shutdown()
        qapp.setFont(before)
