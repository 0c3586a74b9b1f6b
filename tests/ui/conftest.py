import pytest
from PySide6 import QtGui


@pytest.fixture(autouse=True)
def _application_font_restored(qapp):
    """A window's zoom and presentation mode set the application's font; each test starts from
    the font the one before it started from, whatever it zoomed."""
    font = QtGui.QFont(qapp.font())
    yield
    qapp.setFont(font)


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


@pytest.fixture
def fresh_window(qtbot):
    """A main window as on a first start: no settings, autosave or crash flag left over."""
    from explainer.ui.shell.main_window import MainWindow
    from explainer.ui.shell.session_actions import app_data_dir
    for name in ("running.flag", "autosave.explainer.json", "settings.ini"):
        (app_data_dir() / name).unlink(missing_ok=True)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
