"""TeX-style box layout for the parsed equations (math_parse): atoms become glyph boxes, glued
with TeX's inter-atom spacing; fractions, scripts and growing delimiters follow the rules of
The TeXbook, Appendix G, with the font parameters of Computer Modern (in em)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from PySide6.QtGui import (QColor, QFont, QFontDatabase, QFontInfo, QFontMetricsF, QGuiApplication,
                           QPainterPath, QTransform)

from ..theme import style
from ..theme.contrast import with_contrast
from .math_parse import (BIN, CLOSE, INNER, OP, OPEN, ORD, PUNCT, REL, AlignMark, Atom, Bold,
                         Color, Delim, Frac, Group, Scripts, Space)

SCALE = {"D": 1.0, "T": 1.0, "S": 0.7, "SS": 0.5}
SMALLER = {"D": "T", "T": "S", "S": "SS", "SS": "SS"}
SCRIPT = {"D": "S", "T": "S", "S": "SS", "SS": "SS"}
ERROR_COLOR = QColor("#d0021b")
DELIM_CHARS = {"\\{": "{", "\\}": "}", "\\|": "\u2016", "\\langle": "\u27e8", "\\rangle": "\u27e9"}
# Glue between neighbouring atoms, in 1/18 em; letters mean "only outside scripts" (TeXbook p.170).
_CLASSES = (ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT, INNER)
_TABLE = {ORD: "01bc000a", OP: "110c000a", BIN: "bb00b00b", REL: "cc00c00c",
          OPEN: "00000000", CLOSE: "01bc000a", PUNCT: "aa0aaaaa", INNER: "a1bca0aa"}
_MU = {"0": 0, "1": 3, "a": 3, "b": 4, "c": 5}
SERIF = ["STIX Two Text", "Cambria", "Latin Modern Roman", "CMU Serif", "Times New Roman",
         "DejaVu Serif", "Liberation Serif", "Noto Serif"]
SERIF_KINDS = {"it"}      # digits, operators and \text match the application font


@functools.cache
def serif_family() -> str:
    """Italic math letters read as variables best in a serif, as in TeX."""
    for family in SERIF:
        if QFontDatabase.hasFamily(family):
            return family
    probe = QFont()
    probe.setStyleHint(QFont.StyleHint.Serif)
    return QFontInfo(probe).family()


@dataclass(slots=True, eq=False)
class Box:
    kind: str                    # glyph | rule | path | hlist | frac | num | den | sub | sup | ...
    w: float = 0.0
    asc: float = 0.0
    desc: float = 0.0
    children: list = field(default_factory=list)   # (dx, dy, Box); dy: child baseline below ours
    text: str = ""
    font: QFont | None = None
    color: QColor | None = None
    path: QPainterPath | None = None
    ic: float = 0.0              # italic correction: how far a slanted glyph leans past its advance
    cls: str = ORD               # TeX class seen by the left neighbour ...
    rcls: str = ""               # ... and by the right one, if different (a bracket pair)
    align_x: float | None = None  # where this line's `&` sits


class Ctx(NamedTuple):
    style: str
    color: QColor
    forced: bool = False         # a greyed line: one colour, whatever \color says
    bold: bool = False


class _Face:
    """One font at one size, with per-character ink extents cached (layout runs on every drag)."""

    def __init__(self, font: QFont) -> None:
        self.font, self.fm, self.ink = font, QFontMetricsF(font), {}

    def extents(self, text: str) -> tuple[float, float, float]:
        top = bottom = 0.0
        for ch in text:
            if (e := self.ink.get(ch)) is None:
                r = self.fm.tightBoundingRect(ch)      # ink, not the font's line box
                lean = max(0.0, r.right() - self.fm.horizontalAdvance(ch))
                e = self.ink[ch] = (-r.top(), r.bottom(), lean)
            top, bottom = max(top, e[0]), max(bottom, e[1])
        return top, bottom, (self.ink[text[-1]][2] if text else 0.0)


class Fonts:
    """The faces of one equation at one point size: italic letters in a serif (they read as
    variables), everything else in the application's family so numbers match the window."""
    _faces: dict = {}

    def __init__(self, point_size: float) -> None:
        self.pt = point_size
        self.family = QGuiApplication.font().family()
        self.px_per_pt = QFontMetricsF(QFont()).fontDpi() / 72.0
        rm = self.face("rm", 1.0)
        minus = rm.fm.tightBoundingRect("\u2212")
        self.axis_em = -minus.center().y() / self.em(1.0) or 0.25
        self.xheight_em = rm.fm.xHeight() / self.em(1.0) or 0.43

    def em(self, scale: float) -> float:
        return self.pt * scale * self.px_per_pt

    def face(self, kind: str, scale: float) -> _Face:
        key = (self.family, kind, round(self.pt * scale, 2))
        if (face := self._faces.get(key)) is None:
            font = QFont(serif_family() if kind in SERIF_KINDS else self.family)
            font.setPointSizeF(key[2])
            font.setItalic(kind == "it")
            font.setBold(kind in ("bf", "textbf"))
            font.setKerning(kind in ("text", "textbf"))
            face = self._faces[key] = _Face(font)
        return face


class Layout:
    def __init__(self, fonts: Fonts) -> None:
        self.f = fonts

    # -- lists ---------------------------------------------------------------------------
    def hlist(self, group: Group, ctx: Ctx, kind: str = "hlist") -> Box:
        nodes = list(self.expand(group.items, ctx))
        boxes = [self.node(n, c) for n, c in nodes]
        glue = (Space, AlignMark)
        sides = self.classes([None if isinstance(n, glue) else [b.cls, b.rcls or b.cls]
                              for b, (n, _) in zip(boxes, nodes)])
        out, x, prev, mu = Box(kind), 0.0, None, self.f.em(SCALE[ctx.style]) / 18
        for box, side, (node, _) in zip(boxes, sides, nodes):
            if side is not None:
                if prev is not None:
                    glue = _TABLE[prev[0]][_CLASSES.index(side[0])]
                    if glue.isdigit() or ctx.style in ("D", "T"):
                        x += _MU[glue] * mu
                    if prev[1].font is not box.font:      # italic letter, then something else
                        x += prev[1].ic
                prev = (side[1], box)
            if isinstance(node, AlignMark) and out.align_x is None:
                out.align_x = x
            out.children.append((x, 0.0, box))
            x += box.w
        out.w, out.cls = x, INNER if len(boxes) != 1 else boxes[0].cls
        out.asc = max((b.asc for b in boxes), default=0.0)
        out.desc = max((b.desc for b in boxes), default=0.0)
        return out

    def expand(self, items: list, ctx: Ctx):
        """\\color and \\mathbf do not form atoms: their contents join the surrounding list."""
        for item in items:
            if isinstance(item, Color):
                color = ctx.color if ctx.forced else resolve_color(item.color)
                if color is None:
                    yield Atom(f"\\color{{{item.color}}}", ORD, "err"), ctx
                yield from self.expand(item.body.items, ctx._replace(color=color or ctx.color))
            elif isinstance(item, Bold):
                yield from self.expand(item.body.items, ctx._replace(bold=True))
            else:
                yield item, ctx

    @staticmethod
    def classes(sides: list) -> list:
        """TeX rules 5 and 6: a binary operator with nothing to bind to is an ordinary atom.
        Each entry is [class to the left, class to the right], or None for glue."""
        prev = None
        for side in sides:
            if side is None:
                continue
            if side[0] == BIN and (prev[1] if prev else None) in (None, BIN, OP, REL, OPEN, PUNCT):
                side[:] = [ORD, ORD]
            elif side[0] in (REL, CLOSE, PUNCT) and prev and prev[1] == BIN:
                prev[:] = [ORD, ORD]
            prev = side
        if prev is not None and prev[1] == BIN:
            prev[:] = [ORD, ORD]
        return sides

    def node(self, node, ctx: Ctx) -> Box:
        if isinstance(node, Atom):
            return self.atom(node, ctx)
        if isinstance(node, Group):
            box = self.hlist(node, ctx)
            box.cls = ORD
            return box
        if isinstance(node, Frac):
            return self.frac(node, ctx)
        if isinstance(node, Scripts):
            return self.scripts(node, ctx)
        if isinstance(node, Delim):
            return self.delim(node, ctx)
        if isinstance(node, Space):
            return Box("space", w=node.em * self.f.em(SCALE[ctx.style]))
        return Box("mark")

    # -- atoms ---------------------------------------------------------------------------
    def atom(self, atom: Atom, ctx: Ctx) -> Box:
        kind = atom.font
        if ctx.bold and kind in ("it", "rm"):
            kind = "bf"
        color = ERROR_COLOR if kind == "err" and not ctx.forced else ctx.color
        scale = SCALE[ctx.style] * (1.4 if atom.big else 1.0)
        face = self.f.face(kind, scale)
        asc, desc, ic = face.extents(atom.text)
        box = Box("glyph", face.fm.horizontalAdvance(atom.text), asc, desc, text=atom.text,
                  font=face.font, color=color, ic=ic if kind == "it" else 0.0, cls=atom.cls)
        if not atom.big:
            return box
        shift = (asc - desc) / 2 - self.f.axis_em * self.f.em(SCALE[ctx.style])   # centre on axis
        return Box("big", box.w, asc - shift, desc + shift, [(0.0, shift, box)], cls=atom.cls)

    def rule(self, w: float, thickness: float, color: QColor) -> Box:
        return Box("rule", w, thickness, 0.0, color=color)

    # -- fractions and scripts -----------------------------------------------------------
    def frac(self, frac: Frac, ctx: Ctx) -> Box:
        own = {"d": "D", "t": "T"}.get(frac.style, ctx.style)
        inner = ctx._replace(style=SMALLER[own])
        num, den = self.hlist(frac.num, inner, "num"), self.hlist(frac.den, inner, "den")
        em = self.f.em(SCALE[own])
        axis, theta = self.f.axis_em * em, max(0.05 * em, 1.0)
        display = own == "D"
        u, v = (0.677 * em, 0.686 * em) if display else (0.394 * em, 0.345 * em)
        clear = (3 if display else 1.5) * theta
        u += max(0.0, clear - ((u - num.desc) - (axis + theta / 2)))
        v += max(0.0, clear - ((axis - theta / 2) - (den.asc - v)))
        width, pad, over = max(num.w, den.w), 0.12 * em, 0.06 * em
        box = Box("frac", width + 2 * (pad + over), u + num.asc, v + den.desc, cls=INNER)
        box.children = [(pad + over + (width - num.w) / 2, -u, num),
                        (pad, -(axis - theta / 2), self.rule(width + 2 * over, theta, ctx.color)),
                        (pad + over + (width - den.w) / 2, v, den)]
        return box

    def scripts(self, node: Scripts, ctx: Ctx) -> Box:
        base = self.node(node.base, ctx) if node.base is not None else Box("hlist")
        sctx = ctx._replace(style=SCRIPT[ctx.style])
        em, sem = self.f.em(SCALE[ctx.style]), self.f.em(SCALE[sctx.style])
        xh = self.f.xheight_em * em
        char = base.kind in ("glyph", "big") and len(base.text) <= 1
        u = 0.0 if char else base.asc - 0.386 * sem
        v = 0.0 if char else base.desc + 0.05 * sem
        out = Box("scripts", cls=base.cls, rcls=base.rcls, children=[(0.0, 0.0, base)])
        sup = self.hlist(node.sup, sctx, "sup") if node.sup is not None else None
        sub = self.hlist(node.sub, sctx, "sub") if node.sub is not None else None
        if sup is not None:
            u = max(u, (0.413 if ctx.style == "D" else 0.363) * em, sup.desc + xh / 4)
        if sub is not None:
            v = max(v, 0.247 * em if sup else 0.15 * em, sub.asc - 0.8 * xh)
        if sup is not None and sub is not None:    # keep the two scripts apart
            v += max(0.0, 0.2 * em - ((u - sup.desc) - (sub.asc - v)))
        ends = [base.w]
        if sup is not None:
            out.children.append((base.w + base.ic, -u, sup))
            ends.append(base.w + base.ic + sup.w)
        if sub is not None:
            out.children.append((base.w, v, sub))
            ends.append(base.w + sub.w)
        out.w = max(ends) + 0.05 * em
        out.asc = max(base.asc, u + sup.asc if sup else 0.0)
        out.desc = max(base.desc, v + sub.desc if sub else 0.0)
        return out

    # -- delimiters ----------------------------------------------------------------------
    def delim(self, node: Delim, ctx: Ctx) -> Box:
        body = self.hlist(node.body, ctx)
        em = self.f.em(SCALE[ctx.style])
        axis = self.f.axis_em * em
        need = 2 * max(body.asc - axis, body.desc + axis)
        height = max(need * 0.901, need - 0.5 * em)
        left = self.delimiter(node.left, height, ctx, True)
        right = self.delimiter(node.right, height, ctx, False)
        # Spaced like the brackets themselves: `\\log(x)` has no gap, `(x) + 1` the usual one.
        out = Box("delim", left.w + body.w + right.w, cls=OPEN, rcls=CLOSE)
        out.children = [(0.0, 0.0, left), (left.w, 0.0, body), (left.w + body.w, 0.0, right)]
        out.asc = max(left.asc, body.asc, right.asc)
        out.desc = max(left.desc, body.desc, right.desc)
        return out

    def delimiter(self, d: str, height: float, ctx: Ctx, is_left: bool) -> Box:
        em = self.f.em(SCALE[ctx.style])
        if d == ".":
            return Box("space", w=0.12 * em)
        char = DELIM_CHARS.get(d, d)
        glyph = self.atom(Atom(char, OPEN if is_left else CLOSE, "rm"), ctx)
        if height <= (glyph.asc + glyph.desc) * 1.2:   # scripts alone do not grow a bracket
            return glyph
        axis = self.f.axis_em * em
        top = -axis - height / 2
        path = paren_path(height, em, is_left) if char in "()" else stretched(glyph, height)
        path.translate(0, top - path.boundingRect().top())
        width = path.boundingRect().right() + (0.06 * em if char in "()" else 0.0)
        return Box("path", width, -top, top + height, path=path, color=ctx.color,
                   cls=OPEN if is_left else CLOSE)


def paren_path(height: float, em: float, is_left: bool) -> QPainterPath:
    """A parenthesis drawn as a crescent: thick in the middle, tapering to the ends, widening
    slowly with height like the large sizes of Computer Modern."""
    h_em = height / em
    width = min(0.28 + 0.07 * h_em, 0.7) * em
    thick = (0.085 + 0.012 * h_em) * em
    side, tip = 0.06 * em, thick * 0.55
    xe, xm = side + width, side

    def ctrl(mid: float, end: float) -> float:
        return (mid - 0.25 * end) / 0.75      # cubic whose midpoint lands on `mid`

    k = 0.28 * height                       # steep ends: no hook at the tips
    path = QPainterPath()
    path.moveTo(xe, 0)
    xo = ctrl(xm, xe)
    path.cubicTo(xo, k, xo, height - k, xe, height)
    path.lineTo(xe - tip, height)
    xi = ctrl(xm + thick, xe - tip)
    path.cubicTo(xi, height - k, xi, k, xe - tip, 0)
    path.closeSubpath()
    if not is_left:
        path = QTransform(-1, 0, 0, 1, xe + side, 0).map(path)
    return path


def stretched(glyph: Box, height: float) -> QPainterPath:
    """Other delimiters: the font's own glyph, stretched vertically only."""
    path = QPainterPath()
    path.addText(0, 0, glyph.font, glyph.text)
    r = path.boundingRect()
    factor = height / max(r.height(), 1e-6)
    return QTransform(1, 0, 0, factor, 0, 0).map(path)


def resolve_color(name: str) -> QColor | None:
    """A project colour name (style.COLORS, e.g. `policy`), #RRGGBB, or an SVG colour name."""
    name = name.strip()
    color = QColor(style.COLORS.get(name, name))
    if not color.isValid():
        return None
    # as text, readable against the background (a sky-blue 0.500 was 2:1 on the light theme)
    return with_contrast(color, QColor(style.COLORS["background"]))
