"""Lesson 4: supervised fine-tuning and policy optimisation against the Reward model."""
