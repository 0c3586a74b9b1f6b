"""Numerically stable scalar helpers: every probability is computed from a logit, never the reverse.

Working in logits keeps P(Norm's) = 0 or 1 exact without NaN or inf reaching the screen.
"""
import math

from explainer.core.common.checks import brief

# A logit beyond this is already probability 1 to ~130 significant digits; clamping parameters
# here keeps 1/P and exp() finite in every derived quantity.
PARAM_LIMIT = 300.0


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def softplus(x: float) -> float:
    """log(1 + e^x) without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def clamp_param(value: float) -> float:
    return clamp(value, -PARAM_LIMIT, PARAM_LIMIT)


def require_finite(name: str, value: float, low: float = -math.inf, high: float = math.inf) -> float:
    """Reject NaN, inf and out-of-range values with a message a user can act on."""
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):   # 10**400, None, text
        number = math.nan
    if isinstance(value, (bool, str)) or not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a finite number in [{low}, {high}], got {brief(value)}")
    return number
