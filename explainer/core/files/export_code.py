"""'Export as code': a Python script (or a notebook) that reproduces a lesson through the
scripting API — same seed, parameters, scripted draws and steps — and prints the same numbers
the app showed, one line per phase record. It needs no display."""
from __future__ import annotations

import json

from explainer.core import lessons


def describe(lesson: str, record) -> str:
    """One line for one phase record: what the exported script prints and the app can check (the
    lesson's `fields`, named after the notes; missing ones print as "-")."""
    cells = [f"episode={record.episode + 1}", f"phase={record.phase}"]
    for name in lessons.lesson(lesson).fields:
        value = getattr(record, name, None)
        cells.append(f"{name}={value:.12g}" if isinstance(value, float) else f"{name}={value}"
                     if value is not None else f"{name}=-")
    return " ".join(cells)


def _call(op: str, args: dict) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return f"run.{op}({text})"


def code_cells(lesson: str, state: dict) -> list[str]:
    """The script as cells: set-up, the replayed calls, the printout."""
    spec = lessons.stepped().get(lesson)
    if spec is None:
        raise ValueError(f"unknown lesson {lesson!r}")
    name = spec.run_class.__name__
    init = ", ".join(f"{k}={v!r}" for k, v in state["init"].items())
    setup = (f"from explainer.core.files.export_code import describe\n"
             f"from {spec.run_class.__module__} import {name}\n\n"
             f"run = {name}({init})")
    lines = []
    for entry in state["log"]:
        call = _call(entry["op"], entry.get("args", {}))
        count = entry.get("count", 1)
        lines.append(call if count == 1 else f"for _ in range({count}):\n    {call}")
    calls = "\n".join(lines) or "# nothing was stepped yet"
    printout = ("for record in run.history[: run.cursor + 1]:\n"
                f"    print(describe({lesson!r}, record))\n"
                "print(f'episodes done: {run.episodes_done}')")
    return [setup, calls, printout]


def script(lesson: str, state: dict) -> str:
    title = f"lesson {lessons.number(lesson)}, {lessons.lesson(lesson).title}"
    head = (f'"""Reproduces what explainer showed ({title}).\n\n'
            "Run it with the explainer package installed; it prints one line per phase, the same\n"
            'numbers the app displayed."""\n')
    return head + "\n\n".join(code_cells(lesson, state)) + "\n"


def notebook(lesson: str, state: dict) -> str:
    """The same code as a Jupyter notebook (nbformat 4)."""
    return notebook_of("# Reproducing an explainer lesson\n\nEvery number below is computed "
                       "by the same code the app uses.", code_cells(lesson, state))


def notebook_of(markdown: str, code: list[str]) -> str:
    """A Jupyter notebook (nbformat 4): one markdown cell, then one code cell per text."""
    def cell(kind: str, text: str) -> dict:
        base = {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)}
        return base | ({"outputs": [], "execution_count": None} if kind == "code" else {})
    cells = [cell("markdown", markdown)] + [cell("code", text) for text in code]
    doc = {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
           "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}}}
    return json.dumps(doc, indent=1) + "\n"
