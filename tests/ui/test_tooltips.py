"""Every control of the Reward model and RLHF tabs says what it does when hovered."""
import pytest
from PySide6 import QtWidgets

from explainer.ui.reward_tab.tab import RewardTab
from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
from explainer.ui.rlhf_tab.tab import RLHFTab

CONTROLS = (QtWidgets.QAbstractButton, QtWidgets.QAbstractSlider, QtWidgets.QAbstractSpinBox,
            QtWidgets.QComboBox, QtWidgets.QAbstractItemView, QtWidgets.QLineEdit)
# Qt's own parts of a widget, not controls of the lesson: scroll bars, a spin box's text field,
# a tab bar's scroll arrows. (A combo box's drop-down list is checked through its combo box.)
QT_PARTS = {"qt_spinbox_lineedit", "ScrollLeftButton", "ScrollRightButton"}
# Qt shows the nearest ancestor's tooltip over a widget without one: a labelled slider's slider
# and number field show the slider's tooltip. No further up than this.
ANCESTORS = 2


def shown_tooltip(widget, tab) -> str:
    for _ in range(ANCESTORS + 1):
        if widget is None or widget is tab:
            return ""
        if widget.toolTip().strip():
            return widget.toolTip()
        widget = widget.parentWidget()
    return ""


def exempt(widget) -> bool:
    if isinstance(widget, QtWidgets.QScrollBar) or widget.objectName() in QT_PARTS:
        return True
    parent = widget.parentWidget()
    while parent is not None:   # a combo box's drop-down list
        if isinstance(parent, QtWidgets.QComboBox):
            return True
        parent = parent.parentWidget()
    return False


@pytest.mark.parametrize("make", [RewardTab, lambda: RLHFTab(FeedbackLink())],
                         ids=["reward", "rlhf"])
def test_every_control_has_a_tooltip(qtbot, make):
    tab = make()   # not shown: no training process is started
    qtbot.addWidget(tab)
    controls = [w for w in tab.findChildren(QtWidgets.QWidget)
                if isinstance(w, CONTROLS) and not exempt(w)]
    assert len(controls) > 20
    missing = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in controls
               if not shown_tooltip(w, tab)]
    assert missing == []
    # the lesson's own words, where a control does what the notes name
    tips = " ".join(shown_tooltip(w, tab) for w in controls)
    for word in ("Reward model", "Policy"):
        assert word in tips
    tab.shutdown()


def test_the_walkthrough_entry_points_say_what_they_do(qtbot):
    reward, rlhf = RewardTab(), RLHFTab(FeedbackLink())
    for tab in (reward, rlhf):
        qtbot.addWidget(tab)
    button = next(b for b in reward.findChildren(QtWidgets.QPushButton)
                  if b.text() == "Guided walkthrough")
    assert "Pairwise ranking loss" in button.toolTip()
    assert "Reward hacking" in rlhf.policy.controls.walkthrough.toolTip()
    assert "PageDown" in reward.walk_bar.next_button.toolTip()
    for tab in (reward, rlhf):
        tab.shutdown()
