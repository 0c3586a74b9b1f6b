"""Text from a file or the keyboard is shown as the text it is, never read as Qt rich text (an
<img> tag naming /dev/zero once made File ▸ Open read it until memory ran out). Markup goes in
through each route and must come out escaped or in a plain-text label. The marker's image is a
file that does not exist, so nothing is read if a route were still open."""
import json

from PySide6 import QtCore

from explainer.core.language import rankings
from explainer.ui.reward_tab.controller import RewardController
from explainer.ui.reward_tab.tab import RewardTab

MARKUP = "<img src='/nonexistent/explainer-test.png'><b>bold</b>"
ESCAPED = "&lt;img src='/nonexistent/explainer-test.png'&gt;&lt;b&gt;bold&lt;/b&gt;"
PLAIN = QtCore.Qt.TextFormat.PlainText


def test_a_session_naming_markup_is_refused_in_plain_words(qtbot, fresh_window, tmp_path):
    window = fresh_window
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "explainer-session", "version": 1,
                               "parts": {MARKUP: {}}}))
    assert not window.sessions.open(bad)
    shown = window.banner.text()
    assert "Nothing was changed" in shown and ESCAPED in shown and "<img" not in shown
    window.show_message("The last session did not close properly.", links=(("restore", "x"),))
    assert "<a href='restore'>x</a>" in window.banner.text()      # the banner's own links stay
    window.close()


def test_typed_prompts_and_responses_are_text_in_which_is_better(qtbot, tmp_path):
    controller = RewardController(autosave_path=tmp_path / "autosave.json")
    tab = RewardTab(controller)
    qtbot.addWidget(tab)
    feedback = (rankings.Feedback().add_prompt(MARKUP).add_response("p01", MARKUP)
                .add_response("p01", "plain answer ."))
    controller.replace_feedback(feedback)
    view = tab.compare
    view._refresh()
    assert ESCAPED in view.prompt_label.text() and "<img" not in view.prompt_label.text()
    assert "<img" not in view.first.text() + view.second.text()
    # tab 3's (and tab 4's) banner quotes errors and files: a plain-text label
    tab.banner.show_message(MARKUP, "error")
    assert tab.banner.label.textFormat() == PLAIN and tab.banner.label.text() == MARKUP


def test_lesson_tabs_show_their_messages_as_text(fresh_window):
    for tab in (fresh_window.essentials_tab, fresh_window.policy_tab):
        assert tab.message.textFormat() == PLAIN
    assert fresh_window.rlhf_tab.overoptimisation.status.textFormat() == PLAIN
