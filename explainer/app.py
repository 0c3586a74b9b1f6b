"""The main window: one tab per lesson, global keys, zoom and full screen."""
from __future__ import annotations

import sys

from PySide6 import QtCore, QtGui, QtWidgets

from .ui.shell.main_window import MainWindow
from .ui.training.responsive import configure_gil_for_gui


def fit_to_screen(window: QtWidgets.QWidget, screen: QtCore.QRect) -> None:
    """Never larger than the screen: the 1600×950 design size, or a size saved on a desktop and
    restored on a projector, put the controls off screen where nothing maximizes a window."""
    if window.width() > screen.width() or window.height() > screen.height():
        window.resize(min(window.width(), screen.width()), min(window.height(), screen.height()))
        window.move(screen.topLeft())


def run(argv: list[str]) -> int:
    QtWidgets.QApplication.setHighDpiScaleFactorRoundingPolicy(
        QtCore.Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    configure_gil_for_gui()  # a busy worker thread then delays the window by ≤ 0.5 ms a turn
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    app.setApplicationName("explainer")
    app.setOrganizationName("explainer")
    MainWindow.warm_up_hidden_tabs = True
    window = MainWindow()
    fit_to_screen(window, window.screen().availableGeometry())
    if window.restored_geometry:
        window.show()
    else:
        window.showMaximized()  # a projector or a laptop: use the whole screen
    return app.exec()


if __name__ == "__main__":
    sys.exit(run(sys.argv))
