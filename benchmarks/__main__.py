"""python -m benchmarks [--only NAME] [--json out.json]

Runs `measure()` of every benchmarks/bench_*.py, each in its own subprocess (torch and Qt state do not
leak between modules, and one crash does not stop the rest), then prints one table: budget, measured
figure, OK/OVER. Over budget is reported, not failed: the exit code is 1 only if a module crashed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIMEOUT_S = 900
CHILD = """
import importlib, json, sys
rows = importlib.import_module("benchmarks." + sys.argv[1]).measure()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(rows, f)
"""


def modules(only: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if not only or any(o in n for o in only)]


def run_module(name: str) -> tuple[list[dict], str]:
    """The module's rows, or ([], why it failed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": _pythonpath()}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        try:
            done = subprocess.run([sys.executable, "-c", CHILD, name, str(out)], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return [], f"timed out after {TIMEOUT_S} s"
        if done.returncode != 0 or not out.exists():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            return [], f"exit code {done.returncode}\n{tail}"
        rows = json.loads(out.read_text(encoding="utf-8"))
    bad = [r for r in rows if not {"name", "value", "unit", "budget", "ok"} <= set(r)]
    return (rows, "") if rows and not bad else ([], f"malformed rows: {bad or rows!r}")


def _pythonpath() -> str:
    old = os.environ.get("PYTHONPATH")
    return str(ROOT) if not old else os.pathsep.join([str(ROOT), old])


def _figure(value, unit: str) -> str:
    if isinstance(value, float):
        value = f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:,}"
    return f"{value} {unit}".strip()


def _budget(budget, unit: str) -> str:
    if budget is None:
        return "—"
    return budget if isinstance(budget, str) else _figure(budget, unit)


def table(results: list[tuple[str, list[dict], str]]) -> str:
    lines = [("module", "benchmark", "budget", "measured", "")]
    for module, rows, error in results:
        short = module.removeprefix("bench_")
        if error:
            lines.append((short, "CRASHED: " + error.splitlines()[0], "", "", "ERROR"))
        for r in rows:
            if r.get("error"):
                lines.append((short, f"{r['name']} CRASHED: {r['error']}"[:160], "", "", "ERROR"))
                continue
            lines.append((short, str(r["name"]), _budget(r["budget"], r["unit"]),
                          _figure(r["value"], r["unit"]), "OK" if r["ok"] else "OVER"))
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    aligns = ("<", "<", ">", ">", "<")
    out = ["  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(line, aligns, widths)).rstrip()
           for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[2])
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only modules whose name contains NAME (repeatable)")
    parser.add_argument("--json", metavar="PATH", help="also write every row to this JSON file")
    args = parser.parse_args(argv)
    names = modules(args.only)
    if not names:
        parser.error(f"no benchmarks/bench_*.py matches {args.only}")
    results = []
    for name in names:
        print(f"running {name} …", end="", file=sys.stderr, flush=True)
        start = time.perf_counter()
        rows, error = run_module(name)
        print(f" {time.perf_counter() - start:.1f} s{' CRASHED' if error else ''}", file=sys.stderr)
        if error:
            print(error, file=sys.stderr)
        results.append((name, rows, error))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} (wall-clock figures grow with the load)")
    print(table(results))
    if args.json:
        data = [{"module": m, **r} for m, rows, _ in results for r in rows]
        data += [{"module": m, "error": e} for m, _, e in results if e]
        Path(args.json).write_text(json.dumps(data, indent=2), encoding="utf-8")
    crashed = any(error or any(r.get("error") for r in rows) for _, rows, error in results)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
