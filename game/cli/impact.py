"""``kira explore --impact``: the text and JSON report of what each choice changes later."""

from __future__ import annotations

import argparse
import json

from game.authoring.explore.impact import ChoiceImpact, Impact, analyse_impact

SHOWN_READS = 3  # places listed under each effect that is seen


def print_impact(story, args: argparse.Namespace) -> int:
    impact = analyse_impact(story, args.samples, args.seed)
    if args.json:
        print(json.dumps(impact.to_json(), indent=2))
        return 0
    print(f"{story.title}: what each choice changes that a player can see later "
          f"(ending shares from {impact.samples:,} random playthroughs).")
    if not args.brief:
        _print_choices(impact)
    _print_findings(impact)
    return 0


def _print_choices(impact: Impact) -> None:
    scene_id = None
    for c in impact.choices:
        if c.scene != scene_id:
            scene_id = c.scene
            scene = impact.story.scenes[scene_id]
            print(f"\n{scene_id} \"{scene.title}\" ({scene.pos})")
        for line in choice_lines(c):
            print(line)


def choice_lines(c: ChoiceImpact) -> list[str]:
    label = " ".join(c.choice.label.raw.split())
    label = label if len(label) <= 60 else label[:57] + "..."
    lines = [f"  {c.choice.index + 1}. {label} -> {c.choice.target}"]
    if not c.reachable:
        return lines + ["     never on offer (the ranges show it cannot be taken)"]
    if c.only_way:
        lines.append(f"     the only choice here that leads to '{c.choice.target}'")
    for e in c.effects:
        lines.append(f"     {e.written}: {e.status}: {e.why}")
        if e.status == "seen":
            lines += [f"       {r.variable} {r.describe()}" for r in e.reads[:SHOWN_READS]]
            if len(e.reads) > SHOWN_READS:
                lines.append(f"       and {len(e.reads) - SHOWN_READS} more place(s)")
    if not c.effects and not c.only_way:
        lines.append("     changes no variable")
    if c.same_as:
        others = ", ".join(str(i + 1) for i in c.same_as)
        lines.append(f"     NO VISIBLE CONSEQUENCE: the same future as choice {others}")
    total = sum(c.sampled.values())
    if total:
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in c.sampled.most_common())
        lines.append(f"     endings ({total:,} playthroughs took it): {shares}")
    elif c.endings:
        lines.append(f"     endings possible: {', '.join(sorted(c.endings))} (no sampled playthrough took it)")
    return lines


def _print_findings(impact: Impact) -> None:
    found = impact.diagnostics()
    print(f"\n{len(found)} finding(s).")
    for diagnostic in found:
        print(diagnostic.format())
