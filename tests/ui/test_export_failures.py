"""Exports that fail outside the app (a broken ffmpeg) cost only what they were making."""


def test_a_failing_ffmpeg_costs_only_the_mp4(tmp_path, monkeypatch):
    import stat

    from PySide6 import QtGui

    from explainer.ui.shell import exporting
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}:{__import__('os').environ['PATH']}")
    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB888)
    image.fill(0)
    assert exporting.save_frames_mp4([image, image], tmp_path / "a.mp4") is None
