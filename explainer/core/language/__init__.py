"""Language: the vocabulary and the world's grammar, the small language model and its pre-training,
the base model report (stage 0), human rankings and the Reward model trained on them."""
