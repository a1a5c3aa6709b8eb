"""Per-call cost of earshot.render from Python against `earshot render` on the same samples.

Usage (from the repository root, after scripts/build.sh):
    PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py [build/earshot] [CALLS]

For each input length it renders the same speech-like float32 signal (16 kHz, listener N3) CALLS
times both ways and prints the median wall time and the median CPU time per call (CPU: this
process's for Python, the child's for the CLI, so other load on the machine counts less). The
CLI's time includes starting the process and reading and writing the WAV files, which is what a
script that calls it per file pays.
"""
import os
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

import earshot

cli = sys.argv[1] if len(sys.argv) > 1 else "build/earshot"
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 10
rate = 16000


def write_wav(path, x):
    payload = np.asarray(x, dtype="<f4").tobytes()
    fmt = struct.pack("<HHIIHHH", 3, 1, rate, rate * 4, 4, 32, 0)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<II", 4, len(x))
    body += b"data" + struct.pack("<I", len(payload)) + payload
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


print(f"{'input':>8} {'CLI wall':>10} {'CLI CPU':>10} {'Python wall':>12} {'Python CPU':>11} {'CPU saved per call':>19}")
with tempfile.TemporaryDirectory() as tmp:
    for seconds in (0.1, 1.0, 10.0):
        t = np.arange(int(seconds * rate)) / rate
        x = (0.1 * (np.sin(2 * np.pi * 4 * t) > 0) * (np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 1800 * t))).astype(np.float32)
        src, dst = os.path.join(tmp, "in.wav"), os.path.join(tmp, "out.wav")
        write_wav(src, x)
        cli_wall, cli_cpu, py_wall, py_cpu = [], [], [], []
        for _ in range(calls):
            c0, w0 = child_cpu(), time.perf_counter()
            subprocess.run([cli, "render", src, dst, "--listener", "N3"], check=True, capture_output=True)
            cli_wall.append(time.perf_counter() - w0)
            cli_cpu.append(child_cpu() - c0)
            c0, w0 = time.process_time(), time.perf_counter()
            earshot.render(x, rate, "N3")
            py_wall.append(time.perf_counter() - w0)
            py_cpu.append(time.process_time() - c0)
        m = statistics.median
        print(f"{seconds:>7.1f}s {m(cli_wall) * 1e3:>8.1f}ms {m(cli_cpu) * 1e3:>8.1f}ms {m(py_wall) * 1e3:>10.1f}ms "
              f"{m(py_cpu) * 1e3:>9.1f}ms {(m(cli_cpu) - m(py_cpu)) * 1e3:>17.1f}ms")
