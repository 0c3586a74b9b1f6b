"""RLHF: the ground truth and simulated people, the pipeline (SFT, Reward model), the policy run and
its objective, records, settings, the training state a tab's process owns, and the sweep.

``explainer.core.rlhf`` was once the module that is now ``rlhf.run``; its names are still found here
so that scripts exported by older versions keep running.
"""


import importlib
import importlib.util


def __getattr__(name):
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:   # a module of this package
        return importlib.import_module(f"{__name__}.{name}")
    run = importlib.import_module(f"{__name__}.run")  # torch is imported only when a name is asked for
    try:
        return getattr(run, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
