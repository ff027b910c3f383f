"""Settings: kept between runs, and a damaged file never stops the game."""

from __future__ import annotations

import json

from game.session.settings import CHOICES, Settings, load_settings, save_settings, settings_path


def test_defaults_when_there_is_no_file(tmp_path):
    assert load_settings(tmp_path / "missing.json") == Settings()


def test_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    chosen = Settings(text_size="largest", text_speed="instant", high_contrast=True, fullscreen=True, ui_scale="125%",
                      letter_spacing="wider")
    save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert chosen.scale == 1.25 and chosen.chars_per_second is None and chosen.tracking > Settings().tracking == 0


def test_bad_values_fall_back_one_by_one(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"text_size": "huge", "text_speed": "fast", "high_contrast": 1, "ui_scale": "90%",
                                "letter_spacing": "enormous"}))
    loaded = load_settings(path)
    assert loaded == Settings(text_speed="fast", ui_scale="90%")  # 1 is not a boolean
    path.write_text("{not json")
    assert load_settings(path) == Settings()
    path.write_text("[1, 2]")
    assert load_settings(path) == Settings()


def test_cycling_wraps_round_every_choice():
    settings = Settings()
    for name, options in CHOICES.items():
        seen = [getattr(settings, name)]
        current = settings
        for _ in options:
            current = current.cycled(name)
            seen.append(getattr(current, name))
        assert set(seen) == set(options) and seen[0] == seen[-1]
    assert Settings().cycled("text_size", -1).text_size == "small"


def test_the_config_folder_can_be_moved(tmp_path, monkeypatch):
    monkeypatch.setenv("KIRA_CONFIG_DIR", str(tmp_path))
    assert settings_path() == tmp_path / "settings.json"
