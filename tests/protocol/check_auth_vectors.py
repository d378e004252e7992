"""Checks docs/protocol.md section 16.9 against an implementation independent of penlink's:
Python's hmac and hashlib (HMAC-SHA-256, HKDF written from RFC 5869 here) and the cryptography
package (AES-CMAC, AES key wrap). A firmware engineer's own stack should give the same bytes.
Usage: check_auth_vectors.py docs/protocol.md   (exit 77 = skipped: no cryptography package)"""

import hashlib
import hmac
import re
import struct
import sys

try:
    from cryptography.hazmat.primitives import cmac
    from cryptography.hazmat.primitives.ciphers import algorithms
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap
except ImportError:
    print("skipped: the cryptography package is not installed")
    sys.exit(77)


def section(text: str) -> str:
    start = text.index("Authentication test vectors")
    return text[start:]


def values(body: str) -> dict:
    found, name = {}, None
    for line in body.splitlines():
        match = re.match(r"^([a-z_]+):\s+((?:[0-9a-f]{2}\s*)+)$", line)
        if match:
            name = match.group(1)
            found[name] = bytes.fromhex(match.group(2))
        elif name and re.match(r"^\s+((?:[0-9a-f]{2}\s*)+)$", line):
            found[name] += bytes.fromhex(line.strip())
        else:
            name = None
    return found


def wire_frames(body: str) -> dict:
    frames, current, collecting = {}, None, False
    for line in body.splitlines():
        if line.startswith("#### "):
            current, collecting = line[5:], False
        elif current and line.startswith("decoded:"):
            frames[current] = bytes.fromhex(line[8:].strip())
            collecting = True
        elif current and collecting and line.startswith("  "):
            frames[current] += bytes.fromhex(line.strip())
        else:
            collecting = False
    return frames


def main() -> int:
    body = section(open(sys.argv[1], encoding="utf-8").read())
    v = values(body)
    key, hn, pn = v["key"], v["host_nonce"], v["pen_nonce"]
    transcript = (hn + pn + v["boot_id"] + v["session_id"] + v["auth_mode"] + v["key_id"] +
                  bytes([len(v["serial"])]) + v["serial"])
    expected = {
        "key_id": hmac.new(key, b"penlink key id", hashlib.sha256).digest()[:8],
        "pen_proof": hmac.new(key, b"penlink pen proof" + transcript, hashlib.sha256).digest(),
        "host_proof": hmac.new(key, b"penlink host proof" + transcript, hashlib.sha256).digest(),
    }
    prk = hmac.new(hn + pn, key, hashlib.sha256).digest()  # HKDF-Extract(salt, IKM)
    info = b"penlink session keys" + v["boot_id"] + v["session_id"]
    okm, block = b"", b""
    for counter in (1, 2):  # HKDF-Expand, L = 64
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
    expected.update(k_hp=okm[:16], k_ph=okm[16:32], k_wrap=okm[32:])
    expected["wrapped_new_key"] = aes_key_wrap(okm[32:], v["new_key"])
    failures = [name for name, value in expected.items() if v.get(name) != value]
    # Every sealed frame's tag: CMAC over header, payload and counter (16.5).
    for name, decoded in wire_frames(body).items():
        if not decoded[0] & 0x80:
            continue
        length = decoded[4] | decoded[5] << 8
        covered = decoded[:6 + length + 4]
        tag = decoded[6 + length + 4:6 + length + 20]
        key_for = v["k_ph"] if decoded[1] >= 0x80 else v["k_hp"]
        mac = cmac.CMAC(algorithms.AES(key_for))
        mac.update(covered)
        if mac.finalize() != tag:
            failures.append(f"tag of '{name}'")
    if failures:
        print("docs/protocol.md 16.9 disagrees with the independent computation: " +
              ", ".join(failures))
        return 1
    print(f"16.9 agrees: {len(expected)} values and every sealed frame's tag")
    return 0


if __name__ == "__main__":
    sys.exit(main())
