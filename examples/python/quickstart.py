#!/usr/bin/env python3
"""penlink quickstart: connect, configure, run, watch status, handle a refusal, stop.

    python3 quickstart.py                 # the built-in simulator
    python3 quickstart.py tcp://127.0.0.1:7878
    python3 quickstart.py serial:///dev/ttyACM0
"""

import sys
import threading

import penlink


def main(url: str) -> int:
    with penlink.connect(url) as pen:
        caps = pen.capabilities
        print(f"connected to {pen.info.model} {pen.info.serial_number} "
              f"(firmware {pen.info.firmware_version})")
        print(f"depth {caps.depth_min_mm:.2f}-{caps.depth_max_mm:.2f} mm, "
              f"speed {caps.speed_min_hz:.0f}-{caps.speed_max_hz:.0f} Hz, "
              f"RF {'yes' if caps.rf.fitted else 'no'}, "
              f"LED {list(caps.led.wavelengths_nm) or 'no'}")

        pen.depth_limit_mm = 1.5  # e.g. a cheek protocol: the SDK refuses anything deeper
        pen.set_depth(mm=1.0)
        pen.set_speed(hz=100)

        # Status as a callback, on the pen's callback thread...
        frames = []
        enough = threading.Event()

        def on_status(status: penlink.Status) -> None:
            frames.append(status)
            if len(frames) >= 100:
                enough.set()

        with pen.on_status(on_status, rate_hz=200):
            pen.start()
            if not enough.wait(timeout=5):
                print("the pen sent too few status frames", file=sys.stderr)
                return 1
        print(f"{len(frames)} frames via callback; last: {frames[-1]!r}")

        # ...or as an iterator; breaking out unsubscribes.
        for status in pen.status(rate_hz=100):
            if status.depth_actual_mm >= 0.99:
                print(f"needle at {status.depth_actual_mm:.2f} mm, "
                      f"{status.speed_actual_hz:.0f} Hz")
                break

        try:
            pen.set_depth(mm=2.0)
        except penlink.OutOfRangeError as error:
            print(f"refused as expected: {error} "
                  f"(value {error.value} {error.unit}, limit {error.limit} {error.unit})")

        pen.stop()
    print("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "sim://"))
