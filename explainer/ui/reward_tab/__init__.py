"""Lesson 3, the Reward model: rank responses and train a mini Reward model live."""
