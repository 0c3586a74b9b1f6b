"""How numbers look on screen: a real minus sign, a fixed number of decimals, and never NaN/inf."""
from __future__ import annotations

import math

MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
TIMES_TEN = "×10"


def num(value: float | None, digits: int = 3, signed: bool = False) -> str:
    """0.5 → '0.500', −0.62 → '−0.620'; huge values in ×10ⁿ form; None/NaN → '—'."""
    if value is None or isinstance(value, float) and math.isnan(value):
        return "—"
    value = float(value)
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "very large"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 10 ** -digits / 2):
        mantissa, exponent = f"{value:.{max(digits - 1, 1)}e}".split("e")
        text = f"{mantissa}{TIMES_TEN}{str(int(exponent)).translate(SUPERSCRIPT)}"  # 2.93×10⁻⁶
    else:
        text = f"{value:.{digits}f}"
        if text.lstrip("-") == f"{0:.{digits}f}":
            text = text.lstrip("-")  # −0.000 reads as a sign error
    if signed and not text.startswith("-"):
        text = "+" + text
    return text.replace("-", MINUS)


def factor(value: float | None, digits: int = 3) -> str:
    """A number as a factor or subtrahend: negative ones in parentheses, 0.000 − (−0.500)."""
    text = num(value, digits)
    return f"({text})" if text.startswith(MINUS) else text


def latex_num(value: float | None, digits: int = 3, signed: bool = False) -> str:
    """The same number for the math view (×10^{n} as a real superscript)."""
    text = num(value, digits, signed).replace(MINUS, "-")
    if TIMES_TEN in text:
        mantissa, exponent = text.split(TIMES_TEN)
        exponent = exponent.translate({ord(sup): plain for plain, sup in zip("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")})
        text = f"{mantissa} \\times 10^{{{exponent}}}"
    return text


def latex_factor(value: float | None, digits: int = 3) -> str:
    """A number as a factor in a product: negative ones in parentheses, (−1)."""
    text = latex_num(value, digits)
    return f"({text})" if text.startswith("-") else text


def latex_colour(name: str, body: str) -> str:
    """LaTeX for `body` in the palette colour `name` (the colour of the part it belongs to)."""
    from ..theme.style import color
    return rf"\color{{{color(name)}}}{{{body}}}"
