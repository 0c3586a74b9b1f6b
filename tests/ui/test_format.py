"""How numbers read on screen and in the typeset equations."""
import math

from explainer.ui.widgets.format import MINUS, factor, latex_factor, latex_num, num


def test_numbers_have_fixed_decimals_a_real_minus_and_no_negative_zero():
    assert num(0.5) == "0.500"
    assert num(-0.62) == f"{MINUS}0.620"
    assert num(-0.0) == "0.000" and num(-0.0001) == f"{MINUS}1.00×10⁻⁴"
    assert num(1.0, 0, signed=True) == "+1"
    assert num(None) == "—" and num(math.nan) == "—"
    assert num(math.inf) == "very large" and num(-math.inf) == f"{MINUS}very large"


def test_tiny_and_huge_numbers_use_a_real_superscript_exponent():
    assert num(-2.93e-6) == f"{MINUS}2.93×10⁻⁶"      # not the caret form 10^-6
    assert num(3.2e7) == "3.20×10⁷"
    assert latex_num(-2.93e-6) == r"-2.93 \times 10^{-6}"
    assert latex_num(3.2e7) == r"3.20 \times 10^{7}"
    assert latex_factor(-2.93e-6) == r"(-2.93 \times 10^{-6})"


def test_negative_factors_are_parenthesised():
    assert factor(-0.5) == f"({MINUS}0.500)"
    assert factor(0.5) == "0.500"
