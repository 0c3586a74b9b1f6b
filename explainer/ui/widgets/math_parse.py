"""A small LaTeX-subset parser for the equations in the lessons. It builds a tree of plain
dataclasses (no Qt) that math_layout turns into boxes. It never raises on bad input: anything
it does not understand becomes an error atom, shown literally in red."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# TeX atom classes; they decide the spacing between neighbours (see math_layout.SPACING).
ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT, INNER = "ord op bin rel open close punct inner".split()


@dataclass(slots=True)
class Atom:
    text: str
    cls: str = ORD
    font: str = "it"     # it | rm (upright math) | bf | text | err
    big: bool = False    # \sum: drawn larger and centred on the axis


@dataclass(slots=True)
class Group:
    items: list = field(default_factory=list)


@dataclass(slots=True)
class Frac:
    num: Group
    den: Group
    style: str           # "d" (\dfrac), "t" (\tfrac) or "" (\frac: one step smaller)


@dataclass(slots=True)
class Scripts:
    base: object
    sub: Group | None = None
    sup: Group | None = None


@dataclass(slots=True)
class Color:
    color: str
    body: Group


@dataclass(slots=True)
class Bold:
    body: Group


@dataclass(slots=True)
class Delim:
    left: str
    body: Group
    right: str


@dataclass(slots=True)
class Space:
    em: float


@dataclass(slots=True)
class AlignMark:
    """`&`: the lines of a MathView line up at this point."""


SYMBOLS = {
    "partial": ("\u2202", ORD, "rm"), "infty": ("\u221e", ORD, "rm"),
    "nabla": ("\u2207", ORD, "rm"),
    "times": ("\u00d7", BIN, "rm"), "cdot": ("\u22c5", BIN, "rm"), "pm": ("\u00b1", BIN, "rm"),
    "approx": ("\u2248", REL, "rm"), "leftarrow": ("\u2190", REL, "rm"),
    "rightarrow": ("\u2192", REL, "rm"), "to": ("\u2192", REL, "rm"),
    "Rightarrow": ("\u21d2", REL, "rm"), "ge": ("\u2265", REL, "rm"), "geq": ("\u2265", REL, "rm"),
    "le": ("\u2264", REL, "rm"), "leq": ("\u2264", REL, "rm"), "ne": ("\u2260", REL, "rm"),
    "neq": ("\u2260", REL, "rm"), "sim": ("\u223c", REL, "rm"), "in": ("\u2208", REL, "rm"),
    "ldots": ("\u2026", INNER, "rm"), "cdots": ("\u22ef", INNER, "rm"),
    "{": ("{", OPEN, "rm"), "}": ("}", CLOSE, "rm"), "%": ("%", ORD, "rm"), "_": ("_", ORD, "rm"),
    "#": ("#", ORD, "rm"), "$": ("$", ORD, "rm"), "&": ("&", ORD, "rm"), "|": ("\u2016", ORD, "rm"),
}
GREEK = {"alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "delta": "\u03b4",
         "epsilon": "\u03f5", "varepsilon": "\u03b5", "eta": "\u03b7", "theta": "\u03b8",
         "lambda": "\u03bb", "mu": "\u03bc", "pi": "\u03c0", "rho": "\u03c1", "sigma": "\u03c3",
         "tau": "\u03c4", "phi": "\u03d5", "varphi": "\u03c6", "omega": "\u03c9",
         "Delta": "\u0394", "Sigma": "\u03a3", "Pi": "\u03a0", "Omega": "\u03a9"}
OPERATORS = {"log", "ln", "exp", "min", "max", "sin", "cos", "tanh", "arg", "softmax"}
SPACES = {",": 3 / 18, ":": 4 / 18, ";": 5 / 18, "!": -3 / 18, " ": 1 / 3,
          "quad": 1.0, "qquad": 2.0}
CHARS = {"+": ("+", BIN), "-": ("\u2212", BIN), "*": ("\u2217", BIN), "=": ("=", REL),
         "<": ("<", REL), ">": (">", REL), ":": (":", REL), ",": (",", PUNCT), ";": (";", PUNCT),
         "(": ("(", OPEN), "[": ("[", OPEN), ")": (")", CLOSE), "]": ("]", CLOSE),
         "!": ("!", CLOSE), "'": ("\u2032", ORD), "|": ("|", ORD), "/": ("/", ORD)}
DELIMS = {"(", ")", "[", "]", "|", ".", "\\{", "\\}", "\\|", "\\langle", "\\rangle"}
MATCHING = {"(": ")", "[": "]"}

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\.\d+|\s+|.", re.S)


class Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.toks = _TOKEN.findall(src)
        self.i = 0
        self.closed = False                     # did the last group() end on its stop token?

    def parse(self) -> Group:
        group = self.group(stop=None)
        while self.i < len(self.toks):          # a stray } or \right: show it and go on
            group.items.append(Atom(self.toks[self.i], CLOSE, "err"))
            self.i += 1
            group.items.extend(self.group(stop=None).items)
        return group

    # -- token helpers -------------------------------------------------------------------
    def peek(self, skip_space: bool = True) -> str | None:
        while skip_space and self.i < len(self.toks) and self.toks[self.i].isspace():
            self.i += 1
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str | None:
        tok = self.peek()
        if tok is not None:
            self.i += 1
        return tok

    def raw_arg(self) -> str:
        """The verbatim text of a braced argument (for \\text and colour names)."""
        if self.peek() != "{":
            return self.take() or ""
        self.i += 1
        depth, out = 1, []
        while self.i < len(self.toks):
            tok = self.toks[self.i]
            self.i += 1
            depth += (tok == "{") - (tok == "}")
            if depth == 0:
                break
            out.append(tok)
        return "".join(out)

    def arg(self) -> Group:
        """A braced group, or else the next single atom (as in `x_i`)."""
        tok = self.peek()
        if tok == "{":
            self.i += 1
            return self.group(stop="}")
        if tok is None or tok in "}^_&":
            return Group()
        return Group([self.atom()])

    # -- grammar -------------------------------------------------------------------------
    def group(self, stop: str | None) -> Group:
        items: list = []
        while (tok := self.peek()) is not None:
            if tok == stop or (tok == "}" and stop is not None) or tok == "\\right":
                self.closed = tok == stop
                self.i += self.closed
                return Group(items)
            if tok == "}":                        # stray at top level: handled by parse()
                return Group(items)
            if tok in ("^", "_"):
                self.scripts(items)
            elif tok in ("\\color", "\\textcolor"):
                self.i += 1
                name = self.raw_arg()
                if self.peek() != "{":              # bare \color: the rest of the group
                    items.append(Color(name, self.group(stop=stop)))
                    return Group(items)
                items.append(Color(name, self.arg()))
            else:
                items.append(self.atom())
        return Group(items)

    def scripts(self, items: list) -> None:
        base = items.pop() if items and not isinstance(items[-1], (Space, AlignMark)) else None
        node = base if isinstance(base, Scripts) else Scripts(base)
        while (tok := self.peek()) in ("^", "_"):
            self.i += 1
            setattr(node, "sup" if tok == "^" else "sub", self.arg())
        items.append(node)

    def atom(self):
        tok = self.take()
        if tok == "{":
            return self.group(stop="}")
        if tok.startswith("\\"):
            return self.command(tok[1:])
        if tok == "&":
            return AlignMark()
        if tok in MATCHING:
            return self.auto_delim(tok)
        if tok[0].isdigit() or tok[0] == ".":
            return Atom(tok, ORD, "rm")
        if tok.isalpha():
            return Atom(tok, ORD, "it")
        if tok == "~":
            return Space(1 / 3)
        text, cls = CHARS.get(tok, (tok, ORD))
        return Atom(text, cls, "rm")

    def auto_delim(self, opener: str):
        """Plain ( ... ) is a \\left( ... \\right) pair, so it grows around a fraction."""
        start = self.i
        body = self.group(stop=MATCHING[opener])
        if self.closed:
            return Delim(opener, body, MATCHING[opener])
        self.i = start                              # unmatched: an ordinary glyph
        return Atom(opener, OPEN, "rm")

    def command(self, name: str):
        if name in ("frac", "dfrac", "tfrac"):
            return Frac(self.arg(), self.arg(), {"dfrac": "d", "tfrac": "t"}.get(name, ""))
        if name in ("text", "textrm", "mathrm", "operatorname", "textbf", "mathbf", "boldsymbol"):
            return self.styled(name)
        if name in ("color", "textcolor"):
            return Color(self.raw_arg(), self.arg())
        if name == "left":
            return self.left_right()
        if name in SPACES:
            return Space(SPACES[name])
        if name in SYMBOLS:
            return Atom(*SYMBOLS[name])
        if name in GREEK:
            return Atom(GREEK[name], ORD, "it" if name.islower() else "rm")
        if name in OPERATORS:
            return Atom(name, OP, "rm")
        if name == "sum":
            return Atom("\u2211", OP, "rm", big=True)
        return Atom("\\" + name, ORD, "err")

    def styled(self, name: str):
        if name in ("mathbf", "boldsymbol"):
            return Bold(self.arg())
        if name == "mathrm":
            body = self.arg()
            for atom in body.items:
                if isinstance(atom, Atom) and atom.font == "it":
                    atom.font = "rm"
            return body
        text = re.sub(r"\\([{}%$#&_ ])", r"\1", self.raw_arg())
        cls = OP if name == "operatorname" else ORD
        return Atom(text, cls, "textbf" if name == "textbf" else "text")

    def left_right(self):
        left = self.delim_token()
        body = self.group(stop=None)
        right = "."
        if self.peek() == "\\right":
            self.i += 1
            right = self.delim_token()
        return Delim(left, body, right)

    def delim_token(self) -> str:
        tok = self.peek()
        if tok in DELIMS:
            self.i += 1
            return tok
        return "."


def parse(src: str) -> Group:
    return Parser(src or "").parse()
