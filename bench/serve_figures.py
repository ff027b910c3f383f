"""``make bench`` rows for kira serve: a short school-day load on SQLite, with a kill -9 in its middle.

The full-size runs (1,000 students, PostgreSQL) are ``python bench/serve_load.py --help``; their
figures are in docs/BENCHMARKS.md. Here: STUDENTS students for SECONDS seconds a round.
"""

from __future__ import annotations

from engine_figures import Figure

STUDENTS = 150
SECONDS = 40
RAMP = 10  # the students join over the first 10 s


def serve_load(runs: int) -> list[Figure]:
    import serve_load as load

    first, crash = load.run(STUDENTS, SECONDS, kill=True, ramp=RAMP)
    name = f"kira serve, {STUDENTS} students a step every 3 s, 2 workers, SQLite"
    cpu = first["server_cpu_ms_per_request"] or float("nan")
    return [
        Figure(f"{name}: p99 per choice", first["choice_p99_ms"], "ms", None, None, "under 250 ms",
               first["choice_p99_ms"] < 250,
               f"p50 {first['choice_p50_ms']} ms, {first['requests_per_s']} requests/s, "
               f"load average {first['load_average']:.1f}"),
        Figure(f"{name}: server CPU per request", cpu, "ms", None, None, "(comparison, no goal)", True,
               f"both workers, from /proc, idle time between clicks included; the load generator's own: "
               f"{first['generator_cpu_ms_per_request']} ms"),
        Figure(f"{name}: errors", first["errors"], "", None, None, "none", first["errors"] == 0),
        Figure(f"{name}: acknowledged steps and answers lost to kill -9", crash["steps_lost"] + crash["answers_lost"],
               "", None, None, "none", crash["steps_lost"] + crash["answers_lost"] == 0,
               f"of {crash['acked_steps']} steps and {crash['acked_answers']} answers"),
    ]
