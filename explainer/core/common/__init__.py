"""Shared by every lesson: numerically stable math, value checks, the Stepper base of stepped
runs, seeded random draws, and the CPU kernel pin that makes a seed give the same numbers everywhere."""
