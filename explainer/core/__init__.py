"""The headless core: numpy and torch, never Qt. Grouped by what it is about:

- ``common``: stable math, checks, the Stepper base, random draws, the CPU kernel pin;
- ``fries``: lessons 1–2, the fries environment, essentials and policy gradients;
- ``language``: text, the world's grammar, the small language model, pre-training, rankings and the
  Reward model;
- ``rlhf``: the ground truth, simulated people, the RLHF pipeline, run, objective and sweep;
- ``files``: file formats and their checks (sessions, weights, walkthroughs, export as code).

Modules used to sit flat in this package; scripts exported by older versions import them by their
old names (``explainer.core.policy_gradient``), so those names still resolve to the moved modules.
"""
import importlib
import importlib.abc
import importlib.util
import sys

# old flat module name -> its place now (one table; tests/core/test_old_import_paths.py reads it)
MOVED = {
    "stable": "common.stable", "checks": "common.checks", "stepper": "common.stepper",
    "draws": "common.draws", "cpu_kernels": "common.cpu_kernels",
    "environment": "fries.environment", "history": "fries.history", "essentials": "fries.essentials",
    "policy_gradient": "fries.policy_gradient", "curves": "fries.curves", "scenarios": "fries.scenarios",
    "text": "language.text", "world": "language.world", "pretraining": "language.pretraining",
    "stage0": "language.stage0", "language_model": "language.language_model",
    "reward_model": "language.reward_model", "rankings": "language.rankings",
    "reward_session": "language.reward_training", "tone_pairs": "language.tone_pairs",
    "shipped_data": "language.shipped_data",
    "ground_truth": "rlhf.ground_truth", "people": "rlhf.people", "rlhf_pipeline": "rlhf.pipeline",
    "rlhf_feedback": "rlhf.feedback", "rlhf_batch": "rlhf.batch", "rlhf_objective": "rlhf.objective",
    "rlhf_records": "rlhf.records", "rlhf_settings": "rlhf.settings", "rlhf_session": "rlhf.training",
    "overoptimisation": "rlhf.overoptimisation", "pipeline_checkpoints": "rlhf.checkpoints",
    "jsonfile": "files.jsonfile", "session": "files.session", "weights": "files.weights",
    "generator_state": "files.generator_state", "record_json": "files.record_json",
    "walkthrough": "files.walkthrough", "walk_checkpoints": "files.walk_checkpoints",
    "pipeline_walkthrough": "files.pipeline_walkthrough", "export_code": "files.export_code",
    "export_code_rlhf": "files.export_code_rlhf", "glossary": "files.glossary",
}
# (the old ``explainer.core.rlhf`` module is now the package ``rlhf``, which forwards its names)


class _OldNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves ``explainer.core.<old name>`` to the module that now holds it (the same object)."""

    def find_spec(self, fullname, path=None, target=None):
        parent, _, name = fullname.rpartition(".")
        if parent == __name__ and name in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(f"{__name__}.{MOVED[spec.name.rpartition('.')[2]]}")

    def exec_module(self, module):
        pass  # already executed under its new name


if not any(isinstance(finder, _OldNames) for finder in sys.meta_path):
    sys.meta_path.append(_OldNames())
