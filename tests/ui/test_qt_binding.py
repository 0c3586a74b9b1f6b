"""Guard the PySide6 pin: 6.12.0 on Python 3.11 leaked a reference to None on every void Qt call,
and the app aborted after a few thousand repaints. The pinned binding must survive many of them."""
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow   # 90,000 Qt calls in a new process

CODE = """
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
widget = QWidget()
for _ in range(60000):
    widget.update()
image = QImage(8, 8, QImage.Format.Format_ARGB32)
painter = QPainter(image)
for _ in range(30000):
    painter.setPen(QColor("red"))
    painter.save()
    painter.restore()
painter.end()
print("ok")
"""


def test_many_void_qt_calls_do_not_abort_the_process():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-500:]
