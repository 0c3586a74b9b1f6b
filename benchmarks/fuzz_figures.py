"""python -m benchmarks.fuzz_figures [--examples N]

The attack figures of the README's "Files from strangers": runs the file fuzzers (sessions through
File ▸ Open, rankings through Open rankings, lessons through a tab's walkthrough) with N examples
each instead of the suite's few, and counts per file kind the cases tried, refused and accepted,
crashes (a fuzzer that failed: an exception, a refusal that changed something or was not one
sentence), hangs (a case over HANG_S) and data lost (a refusal that changed what was shown: such a
case fails its fuzzer). Not part of `python -m benchmarks` (it takes minutes, not a budget)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUZZERS = {"session": "tests/ui/test_open_fuzz.py", "rankings": "tests/ui/test_open_fuzz_rankings.py",
           "lesson": "tests/ui/test_open_fuzz_lessons.py"}
HANG_S = 10.0


def run(kind: str, examples: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tally = Path(tmp) / "tally.jsonl"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FUZZ_EXAMPLES": str(examples),
               "FUZZ_TALLY": str(tally)}
        done = subprocess.run([sys.executable, "-m", "pytest", "-o", "addopts=", "-p",
                               "no:cacheprovider", "-q", FUZZERS[kind]], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        rows = [json.loads(line) for line in tally.read_text().splitlines()] \
            if tally.exists() else []
    failed = done.returncode != 0
    return {"kind": kind, "tried": len(rows), "refused": sum(not r["accepted"] for r in rows),
            "accepted": sum(r["accepted"] for r in rows), "crashes": int(failed),
            "hangs": sum(r["seconds"] > HANG_S for r in rows),
            "slowest_s": round(max((r["seconds"] for r in rows), default=0.0), 3),
            "data_lost": int(failed and "shown_state(window) ==" in done.stdout),
            "output": done.stdout[-3000:] if failed else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_figures")
    parser.add_argument("--examples", type=int, default=1500)
    args = parser.parse_args(argv)
    results = [run(kind, args.examples) for kind in FUZZERS]
    print(f"{'file kind':<10} {'tried':>6} {'refused':>8} {'accepted':>9} {'crashes':>8} "
          f"{'hangs':>6} {'data lost':>10} {'slowest':>9}")
    for r in results:
        print(f"{r['kind']:<10} {r['tried']:>6} {r['refused']:>8} {r['accepted']:>9} "
              f"{r['crashes']:>8} {r['hangs']:>6} {r['data_lost']:>10} {r['slowest_s']:>8}s")
        if r["output"]:
            print(r["output"])
    return 1 if any(r["crashes"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
