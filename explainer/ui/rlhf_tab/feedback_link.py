"""The rankings both RLHF tabs share: the Reward model tab edits them, this tab adds to them.

The main window passes one `FeedbackLink` to this tab with a function that finds the Reward model
tab's controller (it may be built after this tab). Reading and writing go through that controller,
so an added candidate or a "worse" pair is one undoable change there, saved by its autosave. With
no Reward model tab (this tab on its own, in tests) the link keeps its own copy of the shipped
rankings.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore


class FeedbackLink(QtCore.QObject):
    changed = QtCore.Signal(object)   # Feedback, after this tab wrote it

    def __init__(self, owner: Callable[[], object | None] | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._owner = owner or (lambda: None)
        self._own = None

    def feedback(self):
        owner = self._owner()
        if owner is not None:
            return owner.feedback
        if self._own is None:
            from ...core.language.rankings import default_feedback
            self._own = default_feedback()
        return self._own

    def keep(self):
        """The rankings as they are, with tab 3's undo steps (to give back with `give_back`)."""
        owner = self._owner()
        return owner.rankings_history() if owner is not None else self.feedback()

    def give_back(self, kept) -> None:
        """The rankings `keep` returned, and tab 3's undo steps as they were: one Undo there must
        not bring back what a walkthrough's fix step added."""
        owner = self._owner()
        if owner is not None:
            owner.restore_rankings_history(kept)
            feedback = kept.feedback
        else:
            self._own = feedback = kept
        self.changed.emit(feedback)

    def set_feedback(self, feedback) -> None:
        owner = self._owner()
        if owner is not None:
            owner.replace_feedback(feedback)   # one undo step in the Reward model tab
        else:
            self._own = feedback
        self.changed.emit(feedback)
