"""``make bench``: measure start-up, loading, play and idle cost against their limits.

Writes ``bench/results.json`` (a list of objects with name, value, unit,
limit, ratio, goal, ok, note) and the table in ``docs/BENCHMARKS.md``
between its ``<!-- results -->`` markers. Every figure is the median of
several runs; ``--quick`` runs fewer. With ``--check`` the exit status is 1
when a figure misses its goal. ``--only serve_load`` measures one group again
and replaces its rows, keeping the others as the last whole run left them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine_figures as engine  # noqa: E402
from engine_figures import Figure  # noqa: E402

ROOT = engine.ROOT
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- results -->", "<!-- /results -->"
HEADER = re.compile(r"^(?:Measured on|Command:) .*$", re.M)


def groups() -> list:
    import ink_peer
    import serve_figures as serve
    import window_figures as window

    return [window.cold_start, engine.load_shipped, engine.load_generated, engine.play_steps, ink_peer.ink_peer,
            engine.exhaustive, window.idle_cpu, window.frame_times, engine.peak_memory, window.peak_memory,
            serve.serve_load]


def key(group: object) -> str:
    """A group's name in results.json and for --only: its module and function (serve.serve_load)."""
    module = getattr(group, "__module__", "").removesuffix("_figures")
    return f"{module}.{getattr(group, '__name__', '')}"


def machine_line() -> str:
    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {cpus} cores{', ' + model if model else ''}; "
            f"Python {platform.python_version()}")


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value != value:  # NaN
        return "failed"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def table(figures: list, command: str, seconds: float, again: list[str] | None = None) -> str:
    """The results table; ``again``: the rows of these groups were measured again on their own
    (``--only``), the others come from the last whole run and keep its header."""
    lines = [
        f"Measured on {date.today().isoformat()}, {machine_line()}.",
        f"Command: `{command}` ({seconds:.0f} s in all). Each figure is the median of several runs.",
    ] if not again else HEADER.findall(DOC.read_text())[:2] + [
        f"Measured again on {date.today().isoformat()} with `python bench/run.py --only {' '.join(again)}` "
        f"({seconds:.0f} s, load average {os.getloadavg()[0]:.1f}): the rows of {', '.join(again)}.",
    ]
    lines += [
        "",
        "| figure | value | limit (a baseline measured in the same run, or an absolute one) | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for fig in figures:
        limit = f"{fmt(fig.limit)} {fig.unit}" if fig.limit is not None else "(absolute)"
        ratio = f"{fig.ratio:.2f}x" if fig.ratio is not None and fig.ratio == fig.ratio else "-"
        name = fig.name + (f" ({fig.note})" if fig.note else "")
        met = "-" if fig.goal.startswith("(comparison") else "yes" if fig.ok else "**no**"
        lines.append(f"| {name} | {fmt(fig.value)} {fig.unit} | {limit} | {ratio} | {fig.goal} | {met} |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in doc:
        doc += f"\n{START}\n{END}\n"
    head, rest = doc.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure (a rough check)")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/BENCHMARKS.md")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a figure misses its goal")
    parser.add_argument("--only", nargs="+", metavar="GROUP", default=None,
                        help="measure only these groups (e.g. serve_load, or serve.serve_load) and replace their "
                             "rows in results.json and docs/BENCHMARKS.md, keeping the others'")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    started = time.perf_counter()
    chosen = [g for g in groups() if not args.only or {g.__name__, key(g)} & set(args.only)]
    if args.only and not chosen:
        parser.error(f"groups are: {', '.join(key(g) for g in groups())}")
    measured: dict[str, list] = {}
    for group in chosen:
        print(f"measuring: {group.__doc__.splitlines()[0] if group.__doc__ else group.__name__}", flush=True)
        measured[key(group)] = []
        for fig in group(runs):
            measured[key(group)].append(fig)
            print(f"  {fig.name}: {fmt(fig.value)} {fig.unit} "
                  f"(goal: {fig.goal}) {'ok' if fig.ok else 'MISSED'}", flush=True)
    seconds = time.perf_counter() - started
    rows = [{**fig.to_dict(), "group": name} for name, figs in measured.items() for fig in figs]
    if args.only:  # the other groups' rows as the last run left them, in the order of groups()
        kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
        order = [key(g) for g in groups()]
        rows = sorted([r for r in kept if r.get("group") not in measured] + rows,
                      key=lambda r: order.index(r["group"]) if r.get("group") in order else len(order))
    RESULTS.write_text(json.dumps(rows, indent=1) + "\n")
    figures = [Figure(**{k: v for k, v in r.items() if k != "group"}) for r in rows]
    command = "make bench" + (" (bench/run.py --quick)" if args.quick else "")
    if not args.no_doc:
        write_doc(table(figures, command, seconds, list(measured) if args.only else None))
    print(f"wrote {RESULTS.relative_to(ROOT)}" + ("" if args.no_doc else f" and {DOC.relative_to(ROOT)}"))
    missed = [fig.name for fig in figures if not fig.ok]
    if missed:
        print(f"{len(missed)} figure(s) missed their goal: " + "; ".join(missed))
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
