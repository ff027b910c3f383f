"""A real ``kira serve`` in a subprocess on 127.0.0.1, for the browser tests and the load test."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """``kira serve`` started with the given arguments; ``code`` is the class code it printed."""

    def __init__(self, data_dir: Path, db: str | None = None, assignment: Path | None = None, workers: int = 1,
                 port: int | None = None):
        self.data_dir, self.db, self.assignment, self.workers = data_dir, db, assignment, workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.code = ""
        self.output: list[str] = []

    def start(self, timeout: float = 60) -> LiveServer:
        command = [sys.executable, "-m", "game", "serve", "--port", str(self.port), "--workers", str(self.workers)]
        if self.db:
            command += ["--db", self.db]
        if self.assignment:
            command += ["--assignment", str(self.assignment)]
        env = dict(os.environ, KIRA_SERVE_DIR=str(self.data_dir), SDL_VIDEODRIVER="dummy", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while not self.code:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("kira serve stopped before printing a class code:\n" + "".join(self.output))
            self.output.append(line)
            match = re.search(r"Class code for .*: (\S+)", line)
            if match:
                self.code = match.group(1)
            if time.monotonic() > deadline:
                raise RuntimeError("kira serve did not print a class code in time")
        while True:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kira serve did not answer:\n" + "".join(self.output))
            time.sleep(0.2)

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Stop the server and its workers (Ctrl-C by default; SIGKILL to kill it as a crash would)."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            if sig == signal.SIGKILL:
                os.killpg(self.process.pid, signal.SIGKILL)  # the whole group: the workers die too
            else:
                self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            code = self.process.wait(timeout=10)
        if self.process.stdout:
            self.output.append(self.process.stdout.read())
            self.process.stdout.close()
        return code
