"""Lessons 1–2, the fries story: the environment, the essentials lesson, policy gradients, the
curves their plots draw, and the shipped scenarios."""
