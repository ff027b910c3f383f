"""Scene packs: the shipped Irina & Sasha pack, and the diagnostics a broken pack gets."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SHIPPED

from game.authoring.graph.build import build_map
from game.cli import main
from game.loader.story import check_story, load_story
from game.runtime.playthrough import Playthrough

PACK = ROOT / "story" / "packs" / "irina_sasha"
PACK_SCENES = ("irina_roof", "sasha_cellar", "sasha_bridge", "victor_hint", "cellar_raid",
               "gorokhovaya_window", "prison_parcel")
# where the pack leaves the shipped story, and where it comes back
ANCHORS = {"victor_report": "irina_roof", "irina_drawings": "sasha_cellar", "victor_refuses": "gorokhovaya_window"}
REJOINS = {"after_purge", "the_night_arrest", "vasili_promise"}


@pytest.fixture(scope="module")
def story():
    found, problems = check_story(SHIPPED, [PACK])
    missing = [d for d in problems if d.code == "missing-scene"]
    assert not missing, ("the Irina & Sasha pack names a scene the shipped story no longer has; update "
                         "story/packs/irina_sasha/ (see its README):\n" + "\n".join(d.format() for d in missing))
    assert found is not None, "\n".join(d.format() for d in problems)
    return found


def play_through_the_pack(story, detour: dict[str, str]):  # type: ignore[no-untyped-def]
    """Kira's choices everywhere, except at the pack's doors and at ``detour`` (scene -> target)."""
    play = Playthrough(story, clock=False)
    numbers = []
    wanted = {**ANCHORS, **detour}
    while not play.is_over:
        views = play.choices()
        target = wanted.get(play.scene_id)
        index = next(i for i, v in enumerate(views) if (v.choice.target == target if target else v.novel))
        numbers.append(index + 1)
        play.choose(index)
    return play, numbers


def test_the_pack_loads_clean_with_the_shipped_story():
    _, problems = check_story(SHIPPED, [PACK])
    assert [d.format() for d in problems] == []


def test_pack_scenes_and_choices_keep_their_own_files(story):
    for sid in PACK_SCENES:
        assert story.scenes[sid].pos.path.startswith("story/packs/irina_sasha/") or \
            Path(story.scenes[sid].pos.path).resolve().is_relative_to(PACK.resolve())
    for anchor, target in ANCHORS.items():
        added = [c for c in story.scenes[anchor].choices if c.target == target]
        assert len(added) == 1 and Path(added[0].pos.path).resolve().is_relative_to(PACK.resolve())
        assert added[0].index == len(story.scenes[anchor].choices) - 1  # after the shipped choices
    assert {"solovki", "shpalernaya"} <= set(story.codex)


def test_every_pack_scene_is_played_and_each_visit_rejoins_the_story(story):
    play, _ = play_through_the_pack(story, {"victor_hint": "cellar_raid"})
    path = [step.scene for step in play.steps]
    assert set(PACK_SCENES) <= set(path)
    for step in play.steps:
        if step.scene in PACK_SCENES and step.target not in PACK_SCENES:
            assert step.target in REJOINS, step
    assert play.ending is not None and play.ending.id == "unconquered"
    assert play.variables["irina_exiled"] is True


def test_every_choice_in_the_pack_leads_somewhere_and_the_pack_reads_long_enough(story):
    words = 0
    for sid in PACK_SCENES:
        scene = story.scenes[sid]
        assert scene.chapter in story.chapters and len(scene.choices) >= 2
        assert all(c.target in PACK_SCENES or c.target in REJOINS for c in scene.choices)
        words += sum(len(p.text.raw.split()) for p in scene.paragraphs)
    assert words / len(PACK_SCENES) >= 150
    assert sum(c.novel for sid in PACK_SCENES for c in story.scenes[sid].choices) >= 5
    touched = {e.variable for sid in PACK_SCENES for c in story.scenes[sid].choices for e in c.effects}
    assert {"spirit", "suspicion", "compromise", "andrei_doubt"} <= touched


def test_kira_play_runs_through_the_pack_in_the_terminal(story, tmp_path, capsys):
    _, numbers = play_through_the_pack(story, {"victor_hint": "cellar_raid"})
    record = tmp_path / "run.json"
    code = main(["play", "--ui", "terminal", "--story", str(SHIPPED), "--pack", str(PACK),
                 "--choices", ",".join(map(str, numbers)), "--record", str(record)])
    shown = capsys.readouterr().out
    assert code == 0
    assert "THE CELLAR ON THE PETROGRAD SIDE" in shown.upper() and "Keep him safe" in shown
    scenes = [step["scene"] for step in json.loads(record.read_text())["steps"]]
    assert "prison_parcel" in scenes


def test_validate_and_graph_take_the_pack(tmp_path, capsys):
    assert main(["validate", str(SHIPPED), "--pack", str(PACK)]) == 0
    smap = build_map(load_story(SHIPPED, [PACK]), [PACK])
    assert {n.id for n in smap.nodes.values() if n.from_pack} == set(PACK_SCENES)
    assert all(smap.nodes[sid].reachable for sid in PACK_SCENES)
    assert any(e.from_pack and e.source == "irina_drawings" for e in smap.edges)
    assert main(["graph", "--story", str(SHIPPED), "--pack", str(PACK), "-o", str(tmp_path / "map.mmd")]) == 0
    assert "s_sasha_cellar" in (tmp_path / "map.mmd").read_text()


BROKEN_PACK = {
    "broken.yaml": """\
        extend:
          - scene: hal
            choices:
              - {label: Go, to: yard}
          - scene: hall
            choices:
              - {label: Somewhere, to: nowhere}
        scenes:
          - id: yard
            title: A second yard
            text: Again.
            choices:
              - {label: On, to: fate}
        """,
}


def test_a_broken_packs_diagnostics_name_the_packs_file(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    for name, text in BROKEN_PACK.items():
        (pack / name).write_text(textwrap.dedent(text))
    story, problems = check_story(FIXTURES / "tiny", [pack])
    assert story is None
    errors = {d.code: d for d in problems if d.severity == "error"}
    assert {"missing-scene", "duplicate-id"} <= set(errors)
    for diag in problems:
        if diag.severity == "error":
            assert diag.pos.path.endswith("broken.yaml") and diag.pos.line > 0, diag.format()
    messages = " ".join(d.message for d in problems)
    assert "'hal'" in messages and "'nowhere'" in messages and "first defined at" in messages
    hints = " ".join(d.hint for d in problems)
    assert "hall" in hints  # the unknown scene gets a suggestion


def test_a_missing_pack_folder_is_reported(tmp_path):
    _, problems = check_story(FIXTURES / "tiny", [tmp_path / "nope"])
    assert any("pack folder does not exist" in d.message for d in problems)


def tutorial_files(tmp_path: Path) -> dict[str, Path]:
    """The YAML blocks of docs/AUTHORING.md that start with '# story/...', written under tmp_path."""
    import re

    written = {}
    text = (ROOT / "docs" / "AUTHORING.md").read_text()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        first = block.splitlines()[0]
        if first.startswith("# story/"):
            path = tmp_path / first[2:].strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block)
            written[first[2:].strip()] = path
    return written


def test_the_tutorials_pack_works_as_the_guide_says(tmp_path, monkeypatch):
    files = tutorial_files(tmp_path)
    pack = files["story/packs/my_first/bench.yaml"].parent
    story, problems = check_story(SHIPPED, [pack])
    assert story is not None and not [d for d in problems if d.severity == "error"]
    first = Playthrough(story, clock=False).choices()
    assert first[2].choice.target == "station_bench"  # "number 3 on the very first screen"
    # the mistake the guide shows, with the message and place it quotes
    bench = files["story/packs/my_first/bench.yaml"]
    bench.write_text(bench.read_text().replace("to: dunaev_flat", "to: dunaev_flt", 1))
    monkeypatch.chdir(tmp_path)
    _, problems = check_story(SHIPPED, [Path("story/packs/my_first")])
    shown = [d.format() for d in problems if d.severity == "error"]
    guide = (ROOT / "docs" / "AUTHORING.md").read_text()
    assert len(shown) == 1 and shown[0] in guide


def test_the_tutorials_own_story_plays_to_its_ending(tmp_path):
    files = tutorial_files(tmp_path)
    story = load_story(files["story/my_story/story.yaml"].parent)
    play = Playthrough(story, clock=False)
    assert "You have 5 coins." in play.text()[-1]
    play.choose(0)
    assert play.ending is not None and play.variables["money"] == 3


def test_the_map_keeps_the_storys_scenes_in_place_when_a_pack_is_loaded():
    from game.authoring.graph.layout import layout_map

    plain = layout_map(build_map(load_story(SHIPPED)))
    packed = layout_map(build_map(load_story(SHIPPED, [PACK]), [PACK]))
    for sid, box in plain.boxes.items():
        moved = packed.boxes[sid]
        assert (packed.bands[moved.band].id, moved.col, moved.slot) == (plain.bands[box.band].id, box.col, box.slot)
    # the detours are in lanes of their own, each right under the chapter it belongs to
    for sid in PACK_SCENES:
        band = packed.boxes[sid].band
        assert packed.bands[band].id.startswith("pack_irina_sasha_")
        assert packed.bands[band].id.endswith(packed.bands[band - 1].id)


def test_the_packs_own_test_plan_passes(capsys):
    assert main(["explore", "--story", str(SHIPPED), "--pack", str(PACK), "--plan", str(PACK / "tests")]) == 0
    assert "passed" in capsys.readouterr().out
