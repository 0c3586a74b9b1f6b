import os

# GUI tests run headless everywhere; a real display is never needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
