"""The record of endings reached and codex entries seen, across playthroughs."""

from __future__ import annotations

from game.session.gallery import Gallery


def test_endings_and_codex_are_remembered(tmp_path):
    gallery = Gallery("tiny", tmp_path)
    assert not gallery.reached("hero")
    gallery.record_ending("hero")
    gallery.record_ending("hero")
    assert gallery.record_codex(["petrograd"]) and not gallery.record_codex(["petrograd"])
    again = Gallery("tiny", tmp_path)
    assert again.reached("hero") and again.endings["hero"]["count"] == 2 and again.codex == ["petrograd"]
    assert not again.reached("coward")


def test_a_damaged_file_counts_as_empty_and_is_replaced(tmp_path):
    path = tmp_path / "tiny" / "gallery.json"
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    gallery = Gallery("tiny", tmp_path)
    assert gallery.endings == {} and gallery.codex == []
    gallery.record_ending("coward")
    assert Gallery("tiny", tmp_path).reached("coward")


def test_it_lives_beside_the_saves(monkeypatch, tmp_path):
    monkeypatch.setenv("KIRA_SAVE_DIR", str(tmp_path))
    assert Gallery("tiny").path == tmp_path / "tiny" / "gallery.json"
