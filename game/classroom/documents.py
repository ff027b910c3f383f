"""Readable documents made from a submission: a transcript and an evidence sheet, in Markdown and HTML.

HTML goes through jinja2 with autoescape on, so nothing a student types
can become markup.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
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
    env.filters["plain"] = plain_text
    return env


# Direction overrides, embeddings and isolates: typed into an answer they can make the rest of it (and the
# page after it) read backwards. Arabic or Hebrew text needs none of them; the marks (LRM, RLM) stay.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
LINE_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")


def plain_text(text: object) -> str:
    """Student text without the invisible controls that change the direction of what follows."""
    return BIDI_CONTROLS.sub("", str(text))


def markdown_text(text: object) -> str:
    """Student or story text made inert in Markdown: no heading, list, quote, table, link, HTML or emphasis can
    come out of it, and its line breaks stay where they were typed."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", plain_text(text).replace("\r\n", "\n").replace("\r", "\n")):
        lines = []
        for line in block.split("\n"):
            line = INLINE_MARKUP.sub(r"\\\1", line.strip())
            line = LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1),
                                  line)
            if line:
                lines.append(line)
        if lines:
            paragraphs.append("\\\n".join(lines))  # a backslash before the newline keeps the line break
    return "\n\n".join(paragraphs)


IDLE_GAP = timedelta(minutes=30)  # a longer pause between two moves is a break (the bell rang), not play


def time_played(record: dict[str, Any]) -> str:
    """Roughly how long the student spent playing and writing: from the start, through each choice, to the
    hand-in, leaving out pauses longer than half an hour. '' when the record has no usable times."""
    stamps = [record.get("started"), *(s.get("time") for s in record["playthrough"]["steps"]), record.get("finished")]
    times = []
    for stamp in stamps:
        try:
            moment = datetime.fromisoformat(str(stamp))
        except ValueError:
            continue
        times.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))  # a time without a zone is UTC
    if len(times) < 2:
        return ""
    total = sum((b - a for a, b in zip(times, times[1:], strict=False) if timedelta(0) <= b - a <= IDLE_GAP),
                timedelta(0))
    minutes = round(total.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    text = " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min") if part)
    breaks = any(b - a > IDLE_GAP for a, b in zip(times, times[1:], strict=False))
    return (f"about {text}" if hours or minutes else "under a minute") + (
        " (breaks of more than 30 minutes not counted)" if breaks else "")


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
               "played": time_played(record), "not_reached": record.get("not_reached", []),
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
