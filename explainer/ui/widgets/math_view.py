"""MathView: equations with live numbers, typeset as real math and repainted while a slider is
dragged. LaTeX rendering libraries were too slow for that (tens of ms per equation), so a small
LaTeX subset is parsed (math_parse), laid out TeX-style (math_layout) and painted here from a
flat draw list that is built once per set_* call.

Supported: \\frac \\dfrac \\tfrac, _ and ^, \\text \\textbf \\mathrm \\mathbf \\operatorname,
\\color{c}{...} / \\textcolor{c}{...} / bare \\color{c} (c: #RRGGBB, an SVG name or a project
colour name such as `policy`), \\left( \\right) [ | . and plain ( ) that grow, Greek letters,
\\partial \\times \\cdot \\approx \\leftarrow \\rightarrow \\Rightarrow \\sum \\ge \\le \\ne \\pm
\\infty \\log \\exp ..., spaces \\quad \\qquad \\, \\: \\; \\! and `&` to line several lines up."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEngine, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..theme import style
from .device_scale import device_scale
from .math_layout import Box, Ctx, Fonts, Layout
from .math_parse import ORD, Atom, Group, parse
from .type_scale import pt_to_px

DEFAULT_POINT_SIZE = style.BASE_POINT_SIZE * style.EQUATION_SCALE
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
Lines = str | list  # one LaTeX string, or a list of str / (str, greyed) pairs


@dataclass(slots=True)
class Placed:
    """A laid-out box at its place in the widget, for tests and tools (not used for painting)."""
    kind: str
    rect: QRectF
    baseline: float
    text: str = ""
    color: str | None = None             # "#rrggbb" for glyphs, rules and delimiters
    font: QFont | None = None
    children: list = field(default_factory=list)

    def find(self, kind: str) -> list[Placed]:
        found = [self] if self.kind == kind else []
        for child in self.children:
            found += child.find(kind)
        return found


@functools.lru_cache(maxsize=512)
def _parsed(src: str) -> Group:
    """Parsing is cached: most lines of a tab do not change while a slider moves."""
    try:
        return parse(src)
    except Exception:                      # deep nesting etc.: show the source itself, in red
        return Group([Atom(src, ORD, "err")])


_LINES: dict = {}    # laid-out lines: most lines of a tab stay the same while a slider moves


def normalise(lines: Lines) -> tuple[tuple[str, bool], ...]:
    if isinstance(lines, str):
        return ((lines, False),) if lines else ()
    return tuple((item, False) if isinstance(item, str) else (str(item[0]), bool(item[1]))
                 for item in lines)


def _flatten(box: Box, x: float, y: float, out: list) -> None:
    """The box as a flat draw list of glyph runs, rules and paths, relative to (0, 0)."""
    if box.kind == "glyph":
        out.append((0, QPointF(x, y), box.text, box.font, box.color))
    elif box.kind == "rule":
        out.append((1, QRectF(x, y - box.asc, box.w, box.asc), box.color))
    elif box.kind == "path":
        out.append((2, box.path.translated(x, y), box.color))
    for dx, dy, child in box.children:
        _flatten(child, x + dx, y + dy, out)


def _place(box: Box, x: float, y: float) -> Placed:
    placed = Placed(box.kind, QRectF(x, y - box.asc, box.w, box.asc + box.desc), y, box.text,
                    box.color.name() if box.color is not None else None, box.font)
    placed.children = [_place(child, x + dx, y + dy) for dx, dy, child in box.children]
    return placed


class MathLayout:
    """Several lines laid out and flattened into a draw list of glyph runs, rules and paths."""

    def __init__(self, lines: tuple[tuple[str, bool], ...], point_size: float,
                 centre: bool = False) -> None:
        fonts = Fonts(point_size)
        em = fonts.em(1.0)
        lines_out = [self._line(Layout(fonts), src, greyed) for src, greyed in lines]
        boxes = [box for _, box, _ in lines_out]
        marks = [b.align_x for b in boxes if b.align_x is not None]
        column, widest = max(marks, default=0.0), max((b.w for b in boxes), default=0.0)
        margin = math.ceil(0.12 * em) + 2     # room for italic overhang and antialiasing
        self._pad = math.ceil(0.3 * em)       # ink beyond a line's box, in its cached image
        # (cache key, line box, its draw list relative to its own origin, where that origin goes)
        self._lines: list[tuple[tuple, Box, list, QPointF]] = []
        y, right = float(margin), 0.0
        for i, (key, box, items) in enumerate(lines_out):
            y += box.asc if i == 0 else max(boxes[i - 1].desc + box.asc + 0.8 * em, 1.7 * em)
            if box.align_x is not None:
                x = column - box.align_x
            else:
                x = (widest - box.w) / 2 if centre and not marks else 0.0
            self._lines.append((key, box, items, QPointF(margin + x, y)))
            right = max(right, margin + x + box.w)
        self.width = right + margin if boxes else 0.0
        self.height = y + boxes[-1].desc + margin if boxes else 0.0
        self._roots: list[Placed] | None = None

    @property
    def empty(self) -> bool:
        return not any(items for _, _, items, _ in self._lines)

    @property
    def roots(self) -> list[Placed]:
        """The placed box trees, built only when asked for (tests, tools): a slider drag lays
        lines out on every step and never needs them."""
        if self._roots is None:
            self._roots = [_place(box, origin.x(), origin.y()) for _, box, _, origin in self._lines]
        return self._roots

    @staticmethod
    def _line(layout: Layout, src: str, greyed: bool) -> tuple[tuple, Box, list]:
        colour = style.COLORS["muted" if greyed else "text"]   # a theme change lays out anew
        key = (src, greyed, layout.f.pt, layout.f.family, colour)
        if (cached := _LINES.get(key)) is None:   # boxes are never mutated once built
            # Read at layout time, so a theme change is followed on the next refresh().
            ctx = Ctx("D", QColor(colour), forced=greyed)
            try:
                box = layout.hlist(_parsed(src), ctx, "line")
            except Exception:                  # never let one bad equation break a tab
                box = layout.hlist(Group([Atom(src, ORD, "err")]), ctx, "line")
            items: list = []
            _flatten(box, 0.0, 0.0, items)
            if len(_LINES) > 512:
                _LINES.clear()
            cached = _LINES[key] = (box, items)
        return (key, *cached)

    def size(self) -> QSize:
        return QSize(math.ceil(self.width), math.ceil(self.height))

    def smallest_point_size(self) -> float:
        """The smallest glyphs' point size: a script is 0.7 of the body, a script's script 0.5."""
        return min((item[3].pointSizeF() for _, _, items, _ in self._lines
                    for item in items if item[0] == 0), default=math.inf)

    def paint(self, painter: QPainter, origin: QPointF, cache: dict | None = None) -> None:
        """Draw at `origin`. With a `cache` (a dict the caller keeps), each line is drawn once
        into an image and copied from then on: while a slider moves, most lines stay the same
        and only those with new numbers are drawn again. Vector devices (SVG export) always get
        the glyphs themselves."""
        dpr = device_scale(painter)   # the device's, not the widget's: exports draw at 2× too
        # Whole device pixels for the origin and the rules keep fraction bars crisp.
        ox, oy = round(origin.x() * dpr) / dpr, round(origin.y() * dpr) / dpr
        use_cache = (cache is not None and painter.paintEngine().type() == QPaintEngine.Type.Raster
                     and painter.transform().isIdentity())
        kept: dict = {}
        painter.save()
        painter.setRenderHints(_HINTS)
        for key, box, items, at in self._lines:
            x, y = ox + at.x(), oy + at.y()   # the line's origin on the device
            if not use_cache:
                painter.translate(x, y)
                _draw(painter, items, y, dpr)
                painter.translate(-x, -y)
                continue
            left = math.floor((x - self._pad) * dpr) / dpr
            top = math.floor((y - box.asc - self._pad) * dpr) / dpr
            image_key = (key, round((x - left) * dpr, 3), round((y - top) * dpr, 3), dpr)
            image = cache.get(image_key)
            if image is None and image_key not in cache:
                # First seen: drawn directly, as an image costs more than one drawing. A line
                # that is still the same on the next paint gets its image then; one whose
                # numbers follow a dragged slider never needs one.
                kept[image_key] = None
                painter.translate(x, y)
                _draw(painter, items, y, dpr)
                painter.translate(-x, -y)
                continue
            if image is None:
                image = QPixmap(math.ceil((box.w + 2 * self._pad) * dpr) + 2,
                                math.ceil((box.asc + box.desc + 2 * self._pad) * dpr) + 2)
                image.setDevicePixelRatio(dpr)
                image.fill(Qt.GlobalColor.transparent)
                p = QPainter(image)
                p.setRenderHints(_HINTS)
                p.translate(x - left, y - top)
                _draw(p, items, y, dpr)   # the image sits on whole device pixels: same snapping
                p.end()
            kept[image_key] = image
            painter.drawPixmap(QPointF(left, top), image)
        painter.restore()
        if use_cache:  # only the lines shown now are kept
            cache.clear()
            cache.update(kept)


_HINTS = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing


def _draw(painter: QPainter, items: list, line_y: float, dpr: float) -> None:
    """One line's draw list; the painter's origin is the line's origin, at `line_y` on the device."""
    font = color = None
    for item in items:
        if item[0] == 0:
            if item[3] is not font:
                font = item[3]
                painter.setFont(font)
            if item[4] is not color:
                color = item[4]
                painter.setPen(color)
            painter.drawText(item[1], item[2])
        elif item[0] == 1:
            r = item[1]
            # rules snap to whole device pixels: crisp fraction bars
            top = round((line_y + r.top()) * dpr) / dpr - line_y
            h = max(1, round(r.height() * dpr)) / dpr
            painter.fillRect(QRectF(r.left(), top, r.width(), h), item[2])
        else:
            painter.fillPath(item[1], item[2])


class MathView(QWidget):
    """Shows one equation or several lined-up lines; transparent, sized by its contents."""

    def __init__(self, latex: Lines = "", parent: QWidget | None = None, *,
                 point_size: float = DEFAULT_POINT_SIZE,
                 alignment: Qt.AlignmentFlag = LEFT) -> None:
        super().__init__(parent)
        self._lines: tuple[tuple[str, bool], ...] = ()
        self._point_size = float(point_size)
        self._alignment = alignment
        self._layout: MathLayout | None = None
        self._images: dict = {}   # the shown lines, drawn once each (MathLayout.paint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_lines(latex)

    # -- content -------------------------------------------------------------------------
    def set_latex(self, latex: str) -> None:
        self.set_lines(latex)

    def set_lines(self, lines: Lines) -> None:
        """A list of LaTeX strings or (latex, greyed) pairs; greyed lines are drawn muted."""
        lines = normalise(lines)
        if lines != self._lines or self._layout is None:
            self._lines = lines
            self._relayout()

    def lines(self) -> tuple[tuple[str, bool], ...]:
        return self._lines

    def set_point_size(self, point_size: float) -> None:
        if point_size > 0 and point_size != self._point_size:
            self._point_size = float(point_size)
            self._relayout()

    def refresh(self) -> None:
        """Lay out again (after a theme change: colours are read at layout time)."""
        self._relayout()

    def point_size(self) -> float:
        return self._point_size

    def smallest_text_px(self) -> float:
        """The smallest glyphs shown, in device pixels (math.inf for no lines)."""
        if self._layout is None:
            return math.inf
        return pt_to_px(self._layout.smallest_point_size()) * self.devicePixelRatioF()

    def layout_boxes(self) -> list[Placed]:
        """One Placed tree per line, in widget coordinates of the unaligned layout."""
        return self._layout.roots if self._layout else []

    # -- QWidget -------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return self._layout.size() if self._layout else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._relayout()
        super().changeEvent(event)

    def paintEvent(self, event) -> None:
        if not self._layout or self._layout.empty:
            return
        painter = QPainter(self)
        self._layout.paint(painter, self._origin(), self._images)
        painter.end()

    def _origin(self) -> QPointF:
        size, a, flag = self._layout.size(), self._alignment, Qt.AlignmentFlag
        free_x, free_y = self.width() - size.width(), self.height() - size.height()
        x = free_x / 2 if a & flag.AlignHCenter else free_x if a & flag.AlignRight else 0
        y = free_y / 2 if a & flag.AlignVCenter else free_y if a & flag.AlignBottom else 0
        return QPointF(max(0.0, x), max(0.0, y))

    def _relayout(self) -> None:
        before = self.sizeHint()
        centre = bool(self._alignment & Qt.AlignmentFlag.AlignHCenter)
        self._layout = MathLayout(self._lines, self._point_size, centre)
        if self._layout.size() != before:
            self.updateGeometry()
        self.update()


def render_to_image(latex_or_lines: Lines, point_size: float = DEFAULT_POINT_SIZE, *,
                    background: QColor | None = None, device_pixel_ratio: float = 1.0) -> QImage:
    """The equation as an image (transparent unless `background`), e.g. for export and tests."""
    layout = MathLayout(normalise(latex_or_lines), point_size)
    size = layout.size()
    image = QImage(max(1, math.ceil(size.width() * device_pixel_ratio)),
                   max(1, math.ceil(size.height() * device_pixel_ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(device_pixel_ratio)
    image.fill(background if background is not None else QColor(0, 0, 0, 0))
    painter = QPainter(image)
    layout.paint(painter, QPointF(0, 0))
    painter.end()
    return image
