"""Readable documents made from a submission: a transcript and an evidence sheet, in Markdown and HTML.

HTML goes through jinja2 with autoescape on, so nothing a student types
can become markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from game.atomic import write_atomic
from game.runtime.model import Story

AXIS_LABELS = {"individual": "the individual", "state": "the state", "neutral": "neither", "": "not tagged"}


def environment():  # -> jinja2.Environment
    import jinja2

    # HTML templates escape everything; Markdown templates are plain text and must not.
    escape = jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True, default=False)
    env = jinja2.Environment(loader=jinja2.PackageLoader("game.classroom", "templates"),
                             autoescape=escape, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = markdown_text
    return env


def markdown_text(text: object) -> str:
    """Student or story text made inert in Markdown: HTML and table syntax show as typed."""
    out = str(text)
    for ch in ("\\", "<", ">", "|", "*", "_", "`", "[", "]"):
        out = out.replace(ch, "\\" + ch)
    return out


def transcript_rows(record: dict[str, Any], story: Story | None) -> list[dict[str, str]]:
    rows = []
    for step in record["playthrough"]["steps"]:
        scene = story.scenes.get(step["scene"]) if story else None
        chapter = story.chapters.get(scene.chapter) if story and scene and scene.chapter else None
        rows.append({"scene": scene.title if scene else step["scene"],
                     "chapter": chapter.title if chapter else "", "choice": step.get("label", ""),
                     "novel": "yes" if step.get("novel") else ""})
    return rows


def evidence_rows(record: dict[str, Any], story: Story | None) -> list[dict[str, str]]:
    """The decisive choices, each with its axis and the novel's own choice at that moment."""
    rows = []
    for step in record["playthrough"]["steps"]:
        scene = story.scenes.get(step["scene"]) if story else None
        if scene is None or not scene.decisive:
            continue
        chosen = scene.choices[step["choice"]] if 0 <= step["choice"] < len(scene.choices) else None
        novel = next((c for c in scene.choices if c.novel), None)
        if novel is None:
            novel_text = "The novel has no such moment: this is one of the game's own branches."
        elif chosen is not None and novel.index == chosen.index:
            novel_text = "The novel's Kira made the same choice."
        else:
            novel_text = f"The novel's Kira chose differently: {novel.label.raw}"
        rows.append({"scene": scene.title, "choice": step.get("label", ""),
                     "axis": AXIS_LABELS.get(chosen.axis if chosen else "", "not tagged"), "novel": novel_text})
    return rows


def render(record: dict[str, Any], story: Story | None) -> dict[str, str]:
    """The Markdown and HTML texts of the transcript and the evidence sheet."""
    env = environment()
    context = {"r": record, "steps": transcript_rows(record, story), "evidence": evidence_rows(record, story),
               "ending_title": record.get("summary", {}).get("ending_title") or record.get("ending") or "unfinished"}
    return {
        "transcript.md": env.get_template("transcript.md.j2").render(context),
        "transcript.html": env.get_template("transcript.html.j2").render(context),
        "evidence.md": env.get_template("evidence.md.j2").render(context),
        "evidence.html": env.get_template("evidence.html.j2").render(context),
    }


def write_submission(record: dict[str, Any], path: Path, story: Story | None) -> list[Path]:
    """Write the JSON record and, beside it, the transcript and evidence sheet; all atomically."""
    written = [path]
    write_atomic(path, json.dumps(record, ensure_ascii=False, indent=1), shared=True)
    stem = path.name[:-5] if path.name.endswith(".json") else path.name
    for suffix, text in render(record, story).items():
        target = path.with_name(f"{stem}.{suffix}")
        write_atomic(target, text, shared=True)
        written.append(target)
    return written
