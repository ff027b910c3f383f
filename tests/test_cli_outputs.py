"""Every file a command writes is refused, with a message, when its name is a folder, a FIFO or a device.

Writing replaces the target atomically, so writing onto a device node (``--record /dev/full`` as
root) used to swap the device for a file, and onto a folder was a traceback.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

TINY = str(FIXTURES / "tiny")
ASSIGNMENT = str(FIXTURES / "tiny_assignment.yaml")
ANSWERS = str(FIXTURES / "tiny_answers.yaml")


def kira(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT), "KIRA_SAVE_DIR": str(tmp_path / "saves"), "NO_COLOR": "1"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=60, cwd=tmp_path)


def _submission(tmp_path: Path) -> str:
    out = tmp_path / "anna.json"
    result = kira(tmp_path, "--ui", "terminal", "--story", TINY, "--assignment", ASSIGNMENT, "--choices", "1,1",
                  "--answers", ANSWERS, "--student", "anna", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return str(out)


COMMANDS = {
    "play --record": lambda t, target: ["--ui", "terminal", "--story", TINY, "--choices", "1,1", "--record", target],
    "assignment --out": lambda t, target: ["--ui", "terminal", "--story", TINY, "--assignment", ASSIGNMENT,
                                           "--choices", "1,1", "--answers", ANSWERS, "--student", "b", "--out",
                                           target],
    "graph -o": lambda t, target: ["graph", "--story", TINY, "--format", "html", "--layout", "builtin", "-o", target],
    "export -o": lambda t, target: ["export", "--story", TINY, "--twee", "-o", target],
    "schema -o": lambda t, target: ["schema", "-o", target],
    "report -o": lambda t, target: ["report", "--story", TINY, "-o", target, _submission(t)],
    "report --csv": lambda t, target: ["report", "--story", TINY, "-o", str(t / "r.html"), "--csv", target,
                                       _submission(t)],
}


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")


def _link_to_folder(path: Path) -> None:
    (path.parent / "elsewhere").mkdir()
    path.symlink_to(path.parent / "elsewhere")


KINDS = {"folder": (_folder, stat.S_ISDIR), "fifo": (_fifo, stat.S_ISFIFO), "device": (_device, stat.S_ISCHR),
         "link to a folder": (_link_to_folder, stat.S_ISDIR)}


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and device nodes are POSIX")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path, command, kind):
    make_it, still = KINDS[kind]
    target = tmp_path / "out.html"
    args = COMMANDS[command](tmp_path, str(target))
    make_it(target)
    result = kira(tmp_path, *args)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert "not a regular file" in result.stderr and "out.html" in result.stderr, result.stderr
    assert still(os.stat(target).st_mode), "the target was replaced"
