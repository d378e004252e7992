"""Authenticated sessions from Python (docs/protocol.md section 16): the acceptance scenario
over an authenticated session in process, over TCP and over a pty; the distinct errors of no
key, a wrong key and a pen that cannot prove itself; key checks; key rotation."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

import penlink
from conftest import SimProcess, wait_for_status

SERIAL = "SIM-AUTH-PY"
KEY = bytes(range(32))
OTHER = bytes(range(0xA0, 0xC0))


@pytest.fixture
def pen_key_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pen.key"
    path.write_text(KEY.hex() + "\n")
    path.chmod(0o600)
    yield path


@pytest.fixture(params=["sim", "tcp", "serial"])
def keyed_url(request: pytest.FixtureRequest, sim_process: Callable[..., SimProcess],
              pen_key_file: Path) -> str:
    """A pen that requires authentication, reached three ways."""
    if request.param == "sim":
        return f"sim://?serial={SERIAL}&key_file={pen_key_file}"
    transport = ("--tcp", "0") if request.param == "tcp" else ("--pty",)
    return sim_process(*transport, "--serial", SERIAL, "--key-file", str(pen_key_file)).url


def test_acceptance_scenario_runs_authenticated(keyed_url: str) -> None:
    with penlink.connect(keyed_url, keys={SERIAL: KEY}) as pen:
        assert pen.authenticated
        pen.set_depth(mm=1.0)
        pen.set_speed(hz=100)
        pen.start()
        assert wait_for_status(pen, lambda s: s.state == penlink.PenState.RUNNING)
        pen.stop()
        stats = pen.security_stats()
        assert stats.authenticated and stats.forged == 0 and stats.replayed == 0


def test_missing_wrong_and_unproven_keys_are_distinct_errors(
        sim_process: Callable[..., SimProcess], pen_key_file: Path) -> None:
    url = sim_process("--tcp", "0", "--serial", SERIAL, "--key-file", str(pen_key_file)).url
    with pytest.raises(penlink.AuthenticationError) as missing:
        penlink.connect(url)
    assert missing.value.code == penlink.ErrorCode.AUTHENTICATION_REQUIRED
    assert SERIAL in str(missing.value)
    started = time.monotonic()
    with pytest.raises(penlink.AuthenticationError) as wrong:
        penlink.connect(url, keys={SERIAL: OTHER})
    assert time.monotonic() - started < 3.0  # within the connect timeout
    assert wrong.value.code == penlink.ErrorCode.KEY_REJECTED
    assert OTHER.hex() not in str(wrong.value) and KEY.hex() not in str(wrong.value)
    open_pen = sim_process("--tcp", "0", "--serial", SERIAL).url
    with pytest.raises(penlink.AuthenticationError) as impostor:
        penlink.connect(open_pen, keys={SERIAL: KEY})
    assert impostor.value.code == penlink.ErrorCode.PEN_NOT_AUTHENTIC
    with pytest.raises(penlink.AuthenticationError):
        penlink.connect(open_pen, require_authentication=True)


def test_key_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(penlink.InvalidArgumentError, match="32"):
        penlink.connect("sim://", keys={SERIAL: b"short"})
    with pytest.raises(penlink.InvalidArgumentError, match="not bytes"):
        penlink.connect("sim://", keys={SERIAL: KEY.hex()})
    readable = tmp_path / "hosts.keys"
    readable.write_text(f"{SERIAL} {KEY.hex()}\n")
    readable.chmod(0o644)
    with pytest.raises(penlink.InvalidArgumentError, match="chmod 600") as refused:
        penlink.connect("sim://", key_file=readable)
    assert KEY.hex() not in str(refused.value)


def test_key_file_and_rotation(tmp_path: Path, pen_key_file: Path) -> None:
    hosts = tmp_path / "hosts.keys"
    hosts.write_text(f"# my pens\n{SERIAL} {KEY.hex()}\n")
    hosts.chmod(0o600)
    url = f"sim://?serial={SERIAL}&key_file={pen_key_file}"
    with penlink.connect(url, key_file=hosts) as pen:
        assert pen.authenticated
        with pytest.raises(penlink.InvalidArgumentError):
            pen.change_key(b"\x00" * 31)
        pen.change_key(OTHER)
    assert pen_key_file.read_text().strip() == OTHER.hex()
    with pytest.raises(penlink.AuthenticationError) as old:
        penlink.connect(url, key_file=hosts)
    assert old.value.code == penlink.ErrorCode.KEY_REJECTED
    with penlink.connect(url, keys={SERIAL: OTHER}) as pen:
        assert pen.authenticated
