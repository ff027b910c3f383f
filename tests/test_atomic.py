"""Atomic writes: private by default, the usual permissions for documents meant to be shared."""

from __future__ import annotations

import os
import stat

import pytest

from game.atomic import backup_path, write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_are_private_unless_shared(tmp_path, umask_022):
    write_atomic(tmp_path / "save.json", "{}")
    write_atomic(tmp_path / "report.html", "<p>", shared=True)
    assert _mode(tmp_path / "save.json") == 0o600
    assert _mode(tmp_path / "report.html") == 0o644


def test_the_old_file_is_kept_as_a_backup(tmp_path):
    path = tmp_path / "slot.json"
    write_atomic(path, "first")
    write_atomic(path, "second", backup=True)
    assert path.read_text() == "second" and backup_path(path).read_text() == "first"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
