"""Real server processes for end-to-end tests: uvicorn on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    """`anslag-server serve` in a child process, started and stopped like an operator would."""

    def __init__(self, *, data_dir: Path, database_url: str, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = port or free_port()
        self.log_path = data_dir / f"server-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_within_s: float = 30.0) -> None:
        env = {
            **os.environ,
            "ANSLAG_DATA_DIR": str(self.data_dir),
            "ANSLAG_DATABASE_URL": self.database_url,
        }
        command = [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + ready_within_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # polling a child process for readiness, not waiting on Qt
        self.stop()
        raise RuntimeError(f"server not ready within {ready_within_s} s:\n{self.log()}")

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGINT)
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    @property
    def returncode(self) -> int | None:
        """How the process ended: 0 when it stopped by itself, -9 when `stop` had to kill it."""
        return self._process.returncode if self._process is not None else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
