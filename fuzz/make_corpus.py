#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from the test vectors of docs/protocol.md and the example
module descriptors (examples/modules).

Each vector becomes a few small inputs in the layout its fuzzer reads (see the comment at the
top of each fuzz_*.cpp): whole frames as raw bytes, and the same frames re-expressed through
the harnesses' forging operations so mutations start from valid CRCs. The output is
deterministic, so rerunning after a protocol change only shows real differences.

Usage: fuzz/make_corpus.py [--out DIR]   (default: fuzz/corpus next to this script)
"""
import argparse
import hashlib
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent



def read_all_types():
    """The type bytes in the order of fuzz::kAllTypes (fuzz_support.hpp), with their values from
    enum MessageType (messages.hpp): harnesses pick a type by its index in that list."""
    header = (ROOT / "src" / "protocol" / "messages.hpp").read_text(encoding="utf-8")
    enum = header[header.index("enum class MessageType"):]
    enum = enum[:enum.index("};")]
    values = {name: int(value, 16) for name, value in re.findall(r"(\w+) = (0x[0-9A-Fa-f]+)", enum)}
    support = (ROOT / "fuzz" / "fuzz_support.hpp").read_text(encoding="utf-8")
    listing = support[support.index("kAllTypes = {"):]
    listing = listing[:listing.index("};")]
    return [values[name] for name in re.findall(r"MessageType::(\w+)", listing)]


ALL_TYPES = read_all_types()
HEADER_SIZE = 6
CRC_SIZE = 2


def read_vectors(doc):
    """(name, decoded, wire) for each vector of the "Test vectors" section."""
    vectors, in_section, field = [], False, None
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_section, field = line.endswith("Test vectors"), None
            continue
        if not in_section:
            continue
        if line.startswith("### "):
            vectors.append({"name": line[4:], "decoded": [], "wire": []})
            field = None
        elif vectors and line.startswith(("decoded:", "wire:")):
            key, _, hex_text = line.partition(":")
            field = vectors[-1][key]
            field.extend(int(token, 16) for token in hex_text.split())
        elif field is not None and line.startswith("  "):
            field.extend(int(token, 16) for token in line.split())
        else:
            field = None
    for vector in vectors:
        if not vector["decoded"] or not vector["wire"]:
            raise SystemExit(f"vector {vector['name']!r} lacks decoded or wire bytes")
    return [(v["name"], bytes(v["decoded"]), bytes(v["wire"])) for v in vectors]


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def frame_parts(decoded):
    """type, seq and payload of a decoded frame (header | payload | crc)."""
    return decoded[1], decoded[2] | decoded[3] << 8, decoded[HEADER_SIZE:-CRC_SIZE]


def raw_op(data):  # operation 0 of every harness: n, then n bytes as they are
    assert len(data) < 256
    return bytes([0, len(data)]) + data


def frame_decoder_seeds(vectors):
    seeds = {}
    for name, decoded, wire in vectors:
        seeds[f"wire-{slug(name)}"] = b"\x00" + wire
        # forge mode: the body gets its CRC and COBS from the harness
        seeds[f"forge-{slug(name)}"] = b"\x80" + decoded[:-CRC_SIZE]
    stream = b"".join(wire for _, _, wire in vectors)
    seeds["all-vectors-one-chunk"] = b"\x00" + stream
    seeds["all-vectors-chunked"] = bytes([0x03, 0, 6, 40]) + stream
    seeds["all-vectors-with-noise"] = b"\x00" + b"\x00\x00\x11\x22" + stream[:40] + b"\xff" * 8 + stream
    return seeds


def sim_device_seeds(vectors):
    requests = [(name, decoded, wire) for name, decoded, wire in vectors if decoded[1] < 0x80]
    seeds = {}
    for config in range(3):
        for name, decoded, wire in requests:
            if config == 0:
                seeds[f"raw-{slug(name)}"] = bytes([config]) + raw_op(wire)
                type_byte, seq, payload = frame_parts(decoded)
                seeds[f"request-{slug(name)}"] = bytes(
                    [config, 2, ALL_TYPES.index(type_byte), seq & 0xFF, seq >> 8,
                     len(payload)]) + payload
        # A whole session: every request in document order, with time passing in between
        # (operation 3, 50 ms) and a retry of the last one (operation 5).
        session = bytes([config])
        for _, _, wire in requests:
            session += raw_op(wire) + bytes([3, 0xF4, 0x01])
        session += bytes([5, 4, 2, 7, 0])  # again, then a button press
        seeds[f"session-config{config}"] = session
    return seeds


def session_seeds(vectors):
    replies = [(name, decoded, wire) for name, decoded, wire in vectors if decoded[1] >= 0x80]
    seeds = {}
    for name, decoded, wire in replies:
        type_byte, _, payload = frame_parts(decoded)
        seeds[f"raw-{slug(name)}"] = b"\x01" + raw_op(wire)
        # operation 1, seq mode 0 with delta 0: the same message answering the waiting request
        seeds[f"answer-{slug(name)}"] = bytes(
            [0x01, 1, ALL_TYPES.index(type_byte), 0, 0, len(payload)]) + payload
    seeds["all-replies"] = b"\x00" + b"".join(raw_op(wire) for _, _, wire in replies)
    return seeds


def descriptor_seeds():
    """The example partner modules and the standard RF and LED modules as they are, and small variants of them: valid ones that reach
    the profile, interlock and safety checks, and one refusal of each kind."""
    seeds = {}
    for path in sorted((ROOT / "examples" / "modules").glob("*.json")):
        seeds[f"example-{slug(path.stem)}"] = path.read_bytes()
    for path in sorted((ROOT / "modules").glob("*.json")):
        seeds[f"standard-{slug(path.stem)}"] = path.read_bytes()
    base = {"schema": "penlink.module/1", "key": "seed", "name": "Seed", "vendor": {"id": 1, "name": "V"},
            "model": {"id": 0}}
    minimal = dict(base, parameters=[])
    enabled = {"key": "enabled", "id": 1, "type": "bool", "default": False}
    rf = dict(base, key="rf", profiles=["rf"], parameters=[
        enabled,
        {"key": "polarity", "id": 2, "type": "enum", "labels": ["monopolar", "bipolar"],
         "default": "bipolar"},
        {"key": "frequency", "id": 3, "type": "integer", "unit": "kHz", "min": 1000, "max": 2000,
         "default": 1500},
        {"key": "power", "id": 4, "type": "fixed", "unit": "W", "scale": 0.001, "min": 0, "max": 20,
         "step": 0.5, "default": 0, "safety": "energy"},
        {"key": "pulse", "id": 5, "type": "integer", "unit": "ms", "min": 10, "max": 500,
         "default": 100}],
        telemetry=[{"key": "delivering", "id": 1, "min": 0, "max": 1},
                   {"key": "impedance", "id": 2, "unit": "ohm", "min": 0, "max": 2000},
                   {"key": "energy", "id": 3, "unit": "J", "scale": 0.001, "min": 0, "max": 100000}],
        interlocks=[{"key": "needle", "condition": "needle_running", "guards": ["power"]},
                    {"key": "armed", "condition": "param:enabled", "guards": ["power"]}])
    led = dict(base, key="led", profiles=["led"], parameters=[
        enabled,
        {"key": "wavelength", "id": 2, "type": "integer", "unit": "nm", "min": 415, "max": 830,
         "default": 633},
        {"key": "irradiance", "id": 3, "type": "fixed", "unit": "mW/cm2", "scale": 0.1, "min": 0,
         "max": 100, "default": 0, "safety": "energy"},
        {"key": "mode", "id": 4, "type": "enum", "labels": ["continuous", "pulsed"],
         "default": "continuous"},
        {"key": "pulse_rate", "id": 5, "type": "fixed", "unit": "Hz", "scale": 0.01, "min": 1,
         "max": 100, "default": 10},
        {"key": "duty", "id": 6, "type": "fixed", "unit": "%", "scale": 0.1, "min": 0.1, "max": 100,
         "default": 50}],
        telemetry=[{"key": "emitting", "id": 1, "min": 0, "max": 1},
                   {"key": "dose", "id": 2, "unit": "J/cm2", "scale": 0.000001, "min": 0, "max": 1000}],
        interlocks=[{"key": "no_fault", "condition": "no_fault", "guards": ["irradiance", "enabled"]}])
    vendor = dict(base, key="vacuum", parameters=[
        {"key": "suction_kpa", "id": 0x8001, "type": "fixed", "unit": "kPa", "scale": 0.5,
         "min": -40, "max": 0, "default": 0, "access": "read_write", "description": "x"},
        {"key": "hours", "id": 0xFFFE, "type": "integer", "unit": "count", "min": 0,
         "max": 2147483647, "default": 0, "access": "read"}],
        telemetry=[{"key": "pressure_kpa", "id": 0xFF, "unit": "kPa", "scale": 0.01, "min": -100,
                    "max": 10, "alarm_low": -60, "alarm_high": 5}],
        simulation={"telemetry": {"pressure_kpa": {"model": "first_order", "source": "suction_kpa",
                                                   "tau_s": 0.5}}})
    refusals = {
        "min-above-max": dict(base, parameters=[{"key": "a", "id": 0x8000, "type": "integer",
                                                 "min": 5, "max": 1, "default": 1}]),
        "zero-step": dict(base, parameters=[{"key": "a", "id": 0x8000, "type": "integer",
                                             "min": 0, "max": 1, "step": 0, "default": 0}]),
        "unknown-unit": dict(base, parameters=[{"key": "a", "id": 0x8000, "type": "integer",
                                                "unit": "furlong", "min": 0, "max": 1, "default": 0}]),
        "duplicate-id": dict(base, parameters=[dict(enabled, id=0x8000),
                                               dict(enabled, key="other", id=0x8000)]),
        "reserved-id": dict(base, parameters=[dict(enabled, id=7)]),
        "energy-default": dict(base, parameters=[{"key": "a", "id": 0x8000, "type": "integer",
                                                  "min": 0, "max": 9, "default": 3,
                                                  "safety": "energy"}]),
    }
    for name, document in [("minimal", minimal), ("profile-rf", rf), ("profile-led", led),
                           ("vendor", vendor)] + [(f"refused-{k}", v) for k, v in refusals.items()]:
        seeds[f"descriptor-{name}"] = json.dumps(document, indent=1).encode()
    seeds["not-json"] = b'{"schema": "penlink.module/1", "key": '
    return seeds


def write(directory, seeds):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, data in sorted(seeds.items()):
        # name plus a short hash: readable, and distinct if two vectors share a name
        digest = hashlib.sha1(data).hexdigest()[:8]
        (directory / f"{name}-{digest}").write_bytes(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "fuzz" / "corpus")
    args = parser.parse_args()
    vectors = read_vectors(ROOT / "docs" / "protocol.md")
    write(args.out / "fuzz_frame_decoder", frame_decoder_seeds(vectors))
    write(args.out / "fuzz_sim_device", sim_device_seeds(vectors))
    write(args.out / "fuzz_session", session_seeds(vectors))
    write(args.out / "fuzz_descriptor", descriptor_seeds())
    print(f"{len(vectors)} vectors -> {args.out}")


if __name__ == "__main__":
    main()
