"""The production processes outside Docker (gunicorn, a Celery worker on threads, beat) as command lines,
started and stopped together: what the load benchmark and the production-shape test run."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn(port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--backlog",
        "2048",
    ]


def worker(concurrency: int, *, hostname: str = "", loglevel: str = "WARNING", nice: int = 0) -> list[str]:
    """A Celery worker on the threads pool. `nice` lowers its CPU priority, so that on a machine it shares
    with the web processes, grading yields to the pages candidates are waiting for."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "threads",
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        loglevel,
    ]
    if hostname:
        command += ["--hostname", hostname]
    return ["nice", "-n", str(nice), *command] if nice else command


def beat(schedule: Path | str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "config", "beat", "--schedule", str(schedule)]


@contextmanager
def running(
    commands: Mapping[str, list[str]], env: Mapping[str, str], logs: Path | None = None
) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """Start every command in the project root (output to `logs`/<name>.log, or discarded); on exit, stop
    them with SIGTERM, then SIGKILL whatever is still running after 20 s."""
    started: dict[str, subprocess.Popen[bytes]] = {}
    try:
        with ExitStack() as files:
            for name, command in commands.items():
                out = files.enter_context((logs / f"{name}.log").open("wb")) if logs else subprocess.DEVNULL
                started[name] = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=out, stderr=out)
        yield started
    finally:
        for process in started.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
