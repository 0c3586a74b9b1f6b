"""One set of CPU kernels on every x86 machine, so a seed gives the same numbers everywhere.

torch picks its vector kernels by what the processor offers (AVX2 or AVX-512), and the two round
differently: the same seeded RLHF run on an AVX-512 machine drifts from the run on an AVX2 laptop
within a few hundred updates. A lecturer's projector machine and a student's laptop must show the
same answers for the same seed, so the kernels are capped at AVX2, which every x86 machine of the
last decade has. This must run before torch is first imported; `explainer/__init__.py` calls it, so
any import of the package does. A variable the user has set is left alone.
"""
from __future__ import annotations

import os
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
# Caps the library honours whatever the processor has (a cap above what it offers changes nothing).
CAPS = {"MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"}


def has_avx2(cpuinfo: Path = CPUINFO) -> bool:
    """Whether the processor offers AVX2 (Linux); False where it cannot be told."""
    try:
        with cpuinfo.open(encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return "avx2" in line.split()
    except OSError:
        pass
    return False


def pin_cpu_kernels(environ=os.environ, cpuinfo: Path = CPUINFO) -> None:
    """Cap torch's kernels at AVX2; ATEN_CPU_CAPABILITY is no cap but a choice, so only where AVX2 exists."""
    for name, value in CAPS.items():
        environ.setdefault(name, value)
    if has_avx2(cpuinfo):
        environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")
