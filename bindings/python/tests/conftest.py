"""Shared fixtures for earshot's Python tests.

The package under test is whatever `import earshot` finds (scripts/test.sh and ctest put
build/python first on PYTHONPATH). The CLI to compare against is $EARSHOT_CLI, else build/earshot.
Corpus and oracle tests skip with a message when $EARSHOT_CORPUS is unset, as the C++ tests do.
"""
import os
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[3]

# Run by the ctest python_pip_install against the pip-installed copy, not by pytest.
collect_ignore = ["pip_install_check.py"]


def cli_path() -> Path:
    return Path(os.environ.get("EARSHOT_CLI", REPO / "build" / "earshot"))


def corpus_dir() -> Path:
    corpus = os.environ.get("EARSHOT_CORPUS")
    if not corpus:
        pytest.skip("EARSHOT_CORPUS is not set: corpus and oracle tests need ../shared/corpus")
    return Path(corpus)


def oracles_dir() -> Path:
    oracles = os.environ.get("EARSHOT_ORACLES")
    return Path(oracles) if oracles else corpus_dir().parent / "oracles"


def read_wav(path: Path):
    """(samples frames x channels float32, rate): RIFF/WAVE float32 or 16-bit PCM, any chunks."""
    data = Path(path).read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", path
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        tag, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if tag == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif tag == b"data":
            samples = body
        pos += 8 + size + (size & 1)
    tag, channels, rate, _, _, bits = fmt
    if tag == 0xFFFE:  # WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
        tag = struct.unpack("<H", body_of(data, b"fmt ")[24:26])[0]
    if tag == 3 and bits == 32:
        x = np.frombuffer(samples, dtype="<f4").astype(np.float32)
    elif tag == 1 and bits == 16:
        x = np.frombuffer(samples, dtype="<i2").astype(np.float32) / 32768.0
    else:
        raise AssertionError(f"{path}: format {tag}, {bits} bits")
    return x.reshape(-1, channels), float(rate)


def body_of(data: bytes, want: bytes) -> bytes:
    pos = 12
    while pos + 8 <= len(data):
        tag, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if tag == want:
            return data[pos + 8:pos + 8 + size]
        pos += 8 + size + (size & 1)
    raise AssertionError(f"no {want!r} chunk")


def write_wav(path: Path, x: np.ndarray, rate: float) -> None:
    """float32 RIFF/WAVE (format 3), mono or frames x channels."""
    x = np.asarray(x, dtype="<f4")
    channels = 1 if x.ndim == 1 else x.shape[1]
    payload = x.tobytes()
    fmt = struct.pack("<HHIIHHH", 3, channels, int(rate), int(rate) * 4 * channels, 4 * channels, 32, 0)
    fact = struct.pack("<I", x.shape[0])
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<I", 4) + fact
    body += b"data" + struct.pack("<I", len(payload)) + payload
    Path(path).write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    cli = cli_path()
    if not cli.exists():
        pytest.fail(f"the earshot CLI is not at {cli}: build it (scripts/build.sh) or set EARSHOT_CLI")
    return subprocess.run([str(cli), *args], capture_output=True, text=True, check=True)


def speech(rate: float, seconds: float = 2.0) -> np.ndarray:
    """Real speech from the corpus when there (the oracles' clean STOI files, resampled by nothing:
    a 16 kHz file for 16 kHz, an MSBG input for 44.1 kHz); otherwise a syllabic synthetic signal."""
    corpus = os.environ.get("EARSHOT_CORPUS")
    if corpus:
        oracles = Path(os.environ.get("EARSHOT_ORACLES", Path(corpus).parent / "oracles"))
        folder = oracles / ("stoi/clean" if rate == 16000 else "msbg/in")
        files = sorted(folder.glob("*.wav"))
        for f in files:
            x, fs = read_wav(f)
            if fs == rate:
                return x[: int(seconds * rate), 0].copy()
    t = np.arange(int(seconds * rate)) / rate
    envelope = (np.sin(2 * np.pi * 4 * t) > 0).astype(np.float32)
    return (0.1 * envelope * (np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 1800 * t))).astype(np.float32)
