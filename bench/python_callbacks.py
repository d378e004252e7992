#!/usr/bin/env python3
"""Status callbacks per second delivered into Python from sim:// streaming at the pen's
highest status rate; compare with bench_inproc_callbacks (the same in C++). Target: keep up
with >= 20,000 frames/s. With --pens N, N simulated pens stream at once (one sim caps at its
max_status_rate_hz), which shows how much headroom the Python path has beyond one pen.

    PYTHONPATH=<build>/bindings/python python3 bench/python_callbacks.py [--seconds 3] [--pens 1]
"""

from __future__ import annotations

import argparse
import resource
import time

import penlink


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--pens", type=int, default=1)
    parser.add_argument("--url", default="sim://")
    args = parser.parse_args()

    penlink.set_log_handler(None, penlink.LogLevel.ERROR)
    pens = [penlink.connect(args.url) for _ in range(args.pens)]
    rate = pens[0].capabilities.max_status_rate_hz
    delivered = [0]

    def on_status(status: penlink.Status) -> None:
        delivered[0] += 1  # the GIL serialises callbacks of all pens

    for pen in pens:
        pen.on_status(on_status, rate_hz=rate)
    time.sleep(0.3)  # let the streams reach full rate

    dropped_before = sum(pen.dropped_status_frames for pen in pens)
    count_before, cpu_before, start = delivered[0], cpu_seconds(), time.monotonic()
    time.sleep(args.seconds)
    wall = time.monotonic() - start
    count, cpu = delivered[0] - count_before, cpu_seconds() - cpu_before
    dropped = sum(pen.dropped_status_frames for pen in pens) - dropped_before
    for pen in pens:
        pen.close()

    print(f"Python status callbacks from {args.url} x{args.pens} at {rate} Hz each: "
          f"{count / wall:,.0f}/s (target >= 20,000/s), dropped {dropped}, "
          f"process CPU {cpu / wall * 100:.0f}% ({cpu / max(count, 1) * 1e6:.1f} us per frame)")


if __name__ == "__main__":
    main()
