"""``make bench``: measure start-up, loading, play and idle cost against their limits.

Writes ``bench/results.json`` (a list of objects with name, value, unit,
limit, ratio, goal, ok, note, and when and under what load it was measured)
and the table in ``docs/BENCHMARKS.md`` between its ``<!-- results -->``
markers. Every figure is the median of several runs; ``--quick`` runs fewer.
``--only play_steps,exhaustive`` measures only those groups (the function
names in :func:`groups`) and keeps every other figure as it was, so one
figure can be measured again after a change without the long full run. With
``--check`` the exit status is 1 when a figure misses its goal.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine_figures as engine  # noqa: E402

ROOT = engine.ROOT
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- results -->", "<!-- /results -->"


def groups() -> list:
    import ink_peer
    import serve_figures as serve
    import window_figures as window

    return [window.cold_start, engine.load_shipped, engine.load_generated, engine.play_steps, ink_peer.ink_peer,
            engine.exhaustive, window.idle_cpu, window.frame_times, engine.peak_memory, window.peak_memory,
            serve.serve_load]


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


def table(figures: list, command: str, seconds: float, remeasured: set[str] | None = None) -> str:
    load = os.getloadavg()[0]
    if remeasured is None:
        lines = [
            f"Measured on {date.today().isoformat()}, {machine_line()}.",
            f"Command: `{command}` ({seconds:.0f} s in all, load average {load:.1f} at the end). "
            "Each figure is the median of several runs.",
        ]
    else:
        lines = [
            f"Machine: {machine_line()}. Each figure is the median of several runs; the date and load average "
            "(1 minute, at the end of its group) when each figure was measured are under \"measured\".",
            f"Last command: `{command}` ({seconds:.0f} s, load average {load:.1f} at the end), which measured "
            "again: " + "; ".join(sorted(remeasured)) + ".",
        ]
    lines += [
        "",
        "| figure | value | limit (a baseline measured in the same run, or an absolute one) | ratio | goal | met |"
        + (" measured |" if remeasured is not None else ""),
        "| --- | --- | --- | --- | --- | --- |" + (" --- |" if remeasured is not None else ""),
    ]
    for fig in figures:
        limit = f"{fmt(fig.limit)} {fig.unit}" if fig.limit is not None else "(absolute)"
        ratio = f"{fig.ratio:.2f}x" if fig.ratio is not None and fig.ratio == fig.ratio else "-"
        name = fig.name + (f" ({fig.note})" if fig.note else "")
        met = "-" if fig.goal.startswith("(comparison") else "yes" if fig.ok else "**no**"
        when = f" {fig.measured} |" if remeasured is not None else ""
        lines.append(f"| {name} | {fmt(fig.value)} {fig.unit} | {limit} | {ratio} | {fig.goal} | {met} |{when}")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in doc:
        doc += f"\n{START}\n{END}\n"
    head, rest = doc.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}")


def previous() -> list[engine.Figure]:
    """The figures of the last run, from bench/results.json (none when it is missing or unreadable)."""
    try:
        return [engine.Figure(**item) for item in json.loads(RESULTS.read_text())]
    except (OSError, ValueError, TypeError):
        return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure (a rough check)")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/BENCHMARKS.md")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a figure misses its goal")
    parser.add_argument("--only", default="", metavar="GROUP,...",
                        help="measure only these groups (e.g. play_steps,exhaustive) and keep the other figures")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    chosen = groups()
    only = [name for name in args.only.split(",") if name]
    if only:
        known = {group.__name__: group for group in chosen}
        unknown = [name for name in only if name not in known]
        if unknown:
            parser.error(f"unknown group {', '.join(unknown)}; the groups are {', '.join(sorted(known))}")
        chosen = [known[name] for name in only]
    started = time.perf_counter()
    figures = []
    for group in chosen:
        print(f"measuring: {group.__doc__.splitlines()[0] if group.__doc__ else group.__name__}", flush=True)
        found = group(runs)
        measured = f"{date.today().isoformat()}, load {os.getloadavg()[0]:.1f}"
        for fig in found:
            fig.measured = measured
            figures.append(fig)
            print(f"  {fig.name}: {fmt(fig.value)} {fig.unit} "
                  f"(goal: {fig.goal}) {'ok' if fig.ok else 'MISSED'}", flush=True)
    seconds = time.perf_counter() - started
    remeasured = None
    if only:  # the new figures take the place of the old ones with the same name, in the old order
        remeasured = {fig.name for fig in figures}
        new = {fig.name: fig for fig in figures}
        old = previous()
        figures = [new.pop(fig.name, fig) for fig in old] + list(new.values())
    RESULTS.write_text(json.dumps([fig.to_dict() for fig in figures], indent=1) + "\n")
    command = "make bench" if not (args.quick or only) else "bench/run.py" + (" --quick" if args.quick else "") \
        + (f" --only {','.join(only)}" if only else "")
    if not args.no_doc:
        write_doc(table(figures, command, seconds, remeasured))
    print(f"wrote {RESULTS.relative_to(ROOT)}" + ("" if args.no_doc else f" and {DOC.relative_to(ROOT)}"))
    missed = [fig.name for fig in figures if not fig.ok]
    if missed:
        print(f"{len(missed)} figure(s) missed their goal: " + "; ".join(missed))
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
