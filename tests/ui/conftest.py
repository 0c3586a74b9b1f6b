import pytest


@pytest.fixture
def show(qtbot):
    """Show a widget at lecture size (1600×950) and wait until it is on screen."""
    def shown(widget, width: int = 1600, height: int = 950):
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return shown
