"""explainer: policy gradients and RLHF, step by step. The core is in explainer.core, the app in explainer.ui."""
from .core.common.cpu_kernels import pin_cpu_kernels

pin_cpu_kernels()  # before anything imports torch: the same seed gives the same numbers on every machine
