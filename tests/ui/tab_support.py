"""A tab a test module shares: built once, its training process ended with it."""
from contextlib import contextmanager


@contextmanager
def shown_rlhf_tab(width: int, height: int):
    """An RLHF tab of its own, shown at width × height; its training process ends with it (for a
    module's fixture: the process builds the models once for all the module's tests)."""
    from explainer.ui.rlhf_tab.feedback_link import FeedbackLink
    from explainer.ui.rlhf_tab.tab import RLHFTab
    widget = RLHFTab(FeedbackLink())
    widget.resize(width, height)
    widget.show()
    try:
        yield widget
    finally:
        widget.shutdown()
        widget.deleteLater()
