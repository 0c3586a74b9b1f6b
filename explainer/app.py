"""The main window: one tab per lesson, global keys, zoom and full screen."""
from __future__ import annotations

import sys

from PySide6 import QtCore, QtGui, QtWidgets

from .ui.main_window import MainWindow
from .ui.threads import configure_gil_for_gui


def run(argv: list[str]) -> int:
    QtWidgets.QApplication.setHighDpiScaleFactorRoundingPolicy(
        QtCore.Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    configure_gil_for_gui()  # a busy worker thread then delays the window by ≤ 0.5 ms a turn
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    app.setApplicationName("explainer")
    app.setOrganizationName("explainer")
    MainWindow.warm_up_hidden_tabs = True
    window = MainWindow()
    if window.restored_geometry:
        window.show()
    else:
        window.showMaximized()  # a projector or a laptop: use the whole screen
    return app.exec()


if __name__ == "__main__":
    sys.exit(run(sys.argv))
