"""The application's style with the control outlines a theme asks for.

Fusion draws a control's outline 40 % darker than the window colour and a slider's groove and
handle from the button colour. On the high-contrast theme's black both are black: slider grooves
and handles, check-box frames, progress bars and the borders of number and text boxes and of
lists vanished. Under a theme with an `outline` colour those controls are drawn from a palette
whose window colour gives that outline; everything else is Fusion's own, and a theme without one
is drawn as Fusion draws it. Another platform style (which draws from its own colours, not these)
is left as it is."""
from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from . import style

PE = QtWidgets.QStyle.PrimitiveElement
CE = QtWidgets.QStyle.ControlElement
CC = QtWidgets.QStyle.ComplexControl
OUTLINED_PRIMITIVES = {PE.PE_IndicatorCheckBox, PE.PE_IndicatorRadioButton, PE.PE_FrameLineEdit,
                       PE.PE_PanelLineEdit, PE.PE_IndicatorItemViewItemCheck,
                       PE.PE_PanelButtonCommand, PE.PE_Frame}
OUTLINED_ELEMENTS = {CE.CE_ProgressBarGroove, CE.CE_ShapedFrame}
OUTLINED_COMPLEX = {CC.CC_Slider, CC.CC_SpinBox, CC.CC_ComboBox}
GROUPS = (QtGui.QPalette.ColorGroup.Active, QtGui.QPalette.ColorGroup.Inactive,
          QtGui.QPalette.ColorGroup.Disabled)
ROLE = QtGui.QPalette.ColorRole


class ThemeStyle(QtWidgets.QProxyStyle):
    def __init__(self, base: str) -> None:
        super().__init__(QtWidgets.QStyleFactory.create(base))
        self.fusion = base.lower() == "fusion"

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        if self.fusion and element in OUTLINED_PRIMITIVES:
            option = outlined(option)
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(self, element, option, painter, widget=None) -> None:
        if self.fusion and element in OUTLINED_ELEMENTS:
            option = outlined(option)
        super().drawControl(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        if self.fusion and control in OUTLINED_COMPLEX:
            option = outlined(option)
        super().drawComplexControl(control, option, painter, widget)


def outlined(option: QtWidgets.QStyleOption) -> QtWidgets.QStyleOption:
    """A copy of `option` whose palette makes Fusion outline in the theme's colour, or `option`
    when the theme keeps Fusion's outlines."""
    outline = style.COLORS.get("outline")
    if not outline:
        return option
    copy = type(option)(option)
    palette = QtGui.QPalette(copy.palette)
    # Fusion's outline is window.darker(140): the lightest window that gives (about) it; a
    # control switched off is outlined in the theme's colour for that
    off = QtGui.QPalette.ColorGroup.Disabled
    for group in GROUPS:
        colour = style.COLORS["disabled"] if group == off else outline
        palette.setColor(group, ROLE.Window, QtGui.QColor(colour).lighter(140))
    copy.palette = palette
    return copy


def install(app: QtWidgets.QApplication) -> None:
    """Wrap the application's style once; it reads the theme in force on every paint."""
    if not isinstance(app.style(), ThemeStyle):
        app.setStyle(ThemeStyle(app.style().name()))
