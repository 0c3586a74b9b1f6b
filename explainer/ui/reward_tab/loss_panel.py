"""The selected pair's pairwise ranking loss with its live numbers, typeset as the notes write it:

    Loss = −1 × log(σ(R_better − R_worse))
         = −1 × log(σ(1.23 − (−0.46)))
         = −1 × log(σ(1.69))
         = −1 × log(0.844)
         = 0.170

Above it, the same numbers as large tiles for the back row: R_better, R_worse, d, σ(d), Loss.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..theme import style
from ..widgets.format import latex_num, num
from .controller import RewardController
from .order_view import letters_of
from ..widgets.fitted_math import FittedMath
from ..widgets.steady_label import SteadyLabel

R_BETTER, R_WORSE = r"R_{\text{better}}", r"R_{\text{worse}}"
TILE_TEMPLATE = "+8.888"   # what every tile's number is as wide as (see tile_number)
TILES = (("r_better", "R_better", "good"), ("r_worse", "R_worse", "bad"), ("d", "d = difference", "text"),
         ("sigma_d", "σ(d)", "policy"), ("loss", "Loss", "learning_rate"))


def loss_lines(row) -> list[tuple[str, bool]]:
    """The notes' formula, then the same with this pair's numbers in it."""
    def coloured(name: str, value: float) -> str:
        text = latex_num(value, 3)
        text = f"\\left({text}\\right)" if value < 0 else text
        return f"\\color{{{style.color(name)}}}{{{text}}}"

    b, w = coloured("good", row.r_better), coloured("bad", row.r_worse)
    log_sigma = "-1 \\times \\log\\left(\\sigma\\left({}\\right)\\right)"
    return [
        (f"\\text{{Loss}} &= {log_sigma.format(f'{R_BETTER} - {R_WORSE}')}", False),
        (f"&= {log_sigma.format(f'{b} - {w}')}", False),
        # one step a line: the column stays narrow enough for three on a 1024-px projector
        (f"&= {log_sigma.format(latex_num(row.d, 3))}", False),
        (f"&= -1 \\times \\log\\left({latex_num(row.sigma_d, 3)}\\right)", False),
        (f"&= \\color{{{style.color('learning_rate')}}}{{{latex_num(row.loss, 3)}}}", False),
    ]



class LossPanel(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.title = QtWidgets.QLabel()
        self.title.setWordWrap(True)
        boxes = {key: self._tile(caption, colour) for key, caption, colour in TILES}
        self.tiles = {key: value for key, (_box, value) in boxes.items()}
        # The shared fitted typesetting: as large as the panel allows, never cut off (a narrow
        # column on a 1024-px projector, a short one at 720 px).
        self.math = FittedMath()
        self.setToolTip("The pairwise ranking loss of the selected pair. Training makes "
                        "d = R_better − R_worse large and positive, so σ(d) → 1 and the loss → 0.")
        # The tiles repeat the equation's numbers in large type; a column too narrow for all five
        # (a 1024-px projector) shows the equation alone rather than a cut-off row.
        self.tile_row = QtWidgets.QWidget()
        tiles = QtWidgets.QHBoxLayout(self.tile_row)
        tiles.setContentsMargins(0, 0, 0, 0)
        self.tile_row.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                                    QtWidgets.QSizePolicy.Policy.Preferred)
        for box, _value in boxes.values():
            tiles.addWidget(box)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tile_row)
        layout.addWidget(self.math, 1)
        controller.on_snapshot(self._render)
        controller.selection_changed.connect(self._render)
        controller.feedback_changed.connect(self._render)
        self._render()


    def apply_theme(self) -> None:
        for tile in getattr(self, "_tiles", []):
            _style_tile(*tile)
        self.math.apply_theme()   # the formula's colours are read when it is laid out

    def _tile(self, caption: str, colour: str) -> tuple[QtWidgets.QFrame, QtWidgets.QLabel]:
        box = QtWidgets.QFrame()
        value = _TileValue("—", TILE_TEMPLATE)
        value.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self._tiles = getattr(self, "_tiles", []) + [(box, value, colour)]
        _style_tile(box, value, colour)
        label = QtWidgets.QLabel(caption)
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        inner = QtWidgets.QVBoxLayout(box)
        inner.setContentsMargins(6, 2, 6, 2)
        inner.addWidget(label)
        inner.addWidget(value)
        return box, value

    def _render(self, *_args) -> None:
        key = self.controller.selected_pair
        row = self.controller.snapshot.row(*key) if key else None
        self.title.setText(self._title(key))
        values = {} if row is None else {"r_better": tile_number(row.r_better, True),
                                         "r_worse": tile_number(row.r_worse, True),
                                         "d": tile_number(row.d, True),
                                         "sigma_d": tile_number(row.sigma_d),
                                         "loss": tile_number(row.loss)}
        for name, tile in self.tiles.items():
            tile.setText(values.get(name, "—"))
        # While training the numbers change width on every snapshot: the type may shrink to keep
        # a line whole but does not grow back until training ends (no re-fit at every step).
        self.math.set_lines(loss_lines(row) if row else
                            [(f"\\text{{Loss}} &= -1 \\times \\log\\left(\\sigma\\left({R_BETTER} - "
                              f"{R_WORSE}\\right)\\right)", False)],
                            grow=not self.controller.running)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.tile_row.setVisible(self.width() >= self.tile_row.layout().minimumSize().width())

    def _title(self, key) -> str:
        if key is None:
            return "No pair selected: rank some responses"
        prompt = self.controller.prompt(key[0])
        names = letters_of(prompt) if prompt else {}
        better, worse = names.get(key[1], "?"), names.get(key[2], "?")
        return f"Selected pair <b>{better} ≻ {worse}</b>: people preferred {better}"


def tile_number(value: float, signed: bool = False) -> str:
    """A tile's number in as many characters as TILE_TEMPLATE: four significant digits (12.35,
    123.5), and 0.000 for what rounds to it, so a Reward past 10 or a loss near 0 never widens
    its tile (which re-laid out the columns while training); the formula shows the full value."""
    if value is None or not abs(value) < 1e4:
        return num(value, 3, signed)
    magnitude = abs(value)
    digits = 3 if magnitude < 9.9995 else 2 if magnitude < 99.995 else 1 if magnitude < 999.95 else 0
    return num(0.0 if magnitude < 0.0005 else value, digits, signed)


class _TileValue(SteadyLabel):
    """Exactly as wide as its template: the numbers (`tile_number`) fit it, and no text ever
    changes the tile's size hint."""

    def _width(self, width: int) -> int:
        margins = self.contentsMargins()
        return self.fontMetrics().horizontalAdvance(self.template) + margins.left() + margins.right()


def _style_tile(box: QtWidgets.QFrame, value: QtWidgets.QLabel, colour: str) -> None:
    """Colours read from the palette now, so a theme change restyles the tiles."""
    box.setStyleSheet(f"QFrame {{ background: {style.color('panel')}; border-radius: 6px; }}")
    value.setStyleSheet(f"color: {style.color(colour)}; font-weight: bold;"
                        f" font-size: {round(style.BASE_POINT_SIZE * 1.4)}pt;")
