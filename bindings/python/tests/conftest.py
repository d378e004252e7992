"""Fixtures: the package under test comes from PYTHONPATH (the build tree, or an installed
wheel); simulated pens are sim:// in-process, penlink-sim over real TCP on 127.0.0.1, and
penlink-sim on a real pseudo-terminal (serial://)."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

import penlink

REPO = Path(__file__).resolve().parents[3]


def _find_sim() -> Optional[str]:
    explicit = os.environ.get("PENLINK_SIM")
    if explicit:
        return explicit
    on_path = shutil.which("penlink-sim")
    if on_path:
        return on_path
    # A build tree next to the package under test (PYTHONPATH=<build>/bindings/python).
    for root in Path(os.path.abspath(penlink.__file__)).parents:  # not resolve(): symlinks
        candidate = root / "tools" / "penlink-sim" / "penlink-sim"
        if candidate.is_file():
            return str(candidate)
    return None


class SimProcess:
    """penlink-sim as a child process; url is what to connect to."""

    def __init__(self, *args: str) -> None:
        binary = _find_sim()
        if binary is None:
            pytest.skip("penlink-sim not found (set PENLINK_SIM)")
        self.process = subprocess.Popen([binary, "--quiet", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 10.0)
        if not ready:
            self.close()
            raise AssertionError("penlink-sim printed no address within 10 s")
        first = self.process.stdout.readline().split()
        if first[:1] == ["TCP"]:
            self.url = f"tcp://{first[1]}"
        elif first[:1] == ["PTY"]:
            self.url = f"serial://{first[1]}"
        else:
            self.close()
            raise AssertionError(f"unexpected first line from penlink-sim: {first}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def sim_process() -> Iterator[Callable[..., SimProcess]]:
    started = []

    def start(*args: str) -> SimProcess:
        process = SimProcess(*args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.close()


@pytest.fixture(params=["sim", "tcp", "serial"])
def pen_url(request: pytest.FixtureRequest, sim_process: Callable[..., SimProcess]) -> str:
    """The same pen reached three ways."""
    if request.param == "sim":
        return "sim://"
    if request.param == "tcp":
        return sim_process("--tcp", "0").url
    return sim_process("--pty").url


@pytest.fixture
def pen() -> Iterator[penlink.Pen]:
    with penlink.connect("sim://") as connected:
        yield connected


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Polls predicate until true or timeout (for conditions nothing signals)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def wait_for_status(pen: penlink.Pen, predicate: Callable[[penlink.Status], bool],
                    timeout: float = 5.0) -> penlink.Status:
    """The first status frame that satisfies predicate; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    with pen.status(rate_hz=200, timeout=timeout) as stream:
        for status in stream:
            if predicate(status):
                return status
            if time.monotonic() > deadline:
                break
    raise AssertionError(f"no matching status within {timeout} s; last: {pen.latest_status}")
