#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from the test vectors of docs/protocol.md.

Each vector becomes a few small inputs in the layout its fuzzer reads (see the comment at the
top of each fuzz_*.cpp): whole frames as raw bytes, and the same frames re-expressed through
the harnesses' forging operations so mutations start from valid CRCs. The output is
deterministic, so rerunning after a protocol change only shows real differences.

Usage: fuzz/make_corpus.py [--out DIR]   (default: fuzz/corpus next to this script)
"""
import argparse
import hashlib
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The order of fuzz::kAllTypes in fuzz_support.hpp: harnesses pick a type by index.
ALL_TYPES = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D,
             0x80, 0x81, 0x82, 0x83, 0x84, 0x85]
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
    print(f"{len(vectors)} vectors -> {args.out}")


if __name__ == "__main__":
    main()
