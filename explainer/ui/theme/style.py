"""One palette and one type scale for every tab, chosen for a projector: large, high contrast,
and colour-blind safe (Okabe–Ito). A symbol in an equation has the colour of the diagram part it
belongs to, so these names are the notes' own terms."""
from __future__ import annotations

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
COLORS = {
    "agent": "#0072B2",          # blue: the Agent and its draw u
    "environment": "#009E73",    # green: the Environment, its draw and the order
    "policy": "#CC79A7",         # purple: the Policy (network, probabilities)
    "reward": "#E69F00",         # orange: the Reward
    "learning_rate": "#D55E00",  # vermillion: the Learning rate and the update
    "derivative": "#56B4E9",     # sky blue: derivatives flowing backwards
    "norm": "#0072B2",
    "squatch": "#E69F00",
    "text": "#1a1a1a",
    "muted": "#8a8a8a",          # earlier phases, greyed
    "background": "#ffffff",
    "panel": "#f4f5f7",
    "outline": "",               # control outlines: Fusion's own (themes.THEMES)
    "disabled": "#a8a8a8",       # a control switched off
    "good": "#009E73",
    "bad": "#D55E00",
}

BASE_POINT_SIZE = 15   # readable from the back row at 1080p; Ctrl+= / Ctrl+- scale from here
TITLE_SCALE = 1.35
EQUATION_SCALE = 1.5


def color(name: str) -> str:
    return COLORS[name]
