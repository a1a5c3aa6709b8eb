"""earshot.render gives the CLI's samples, bit for bit (issue 17): N3, S2 with jitter, a cochlear
implant and a bimodal listener, at 16 and 44.1 kHz, from float32 and float64 input."""
import numpy as np
import pytest

import earshot
from conftest import read_wav, run_cli, speech, write_wav

CASES = [
    ("N3", {}),
    ("S2", {"jitter_ms": 0.25}),
    ("ci:nucleus-ace", {}),
    ("left=ci:medel-cis,right=N4", {}),
]


@pytest.mark.parametrize("rate", [16000, 44100])
@pytest.mark.parametrize("listener,options", CASES, ids=[c[0] for c in CASES])
def test_render_equals_cli(tmp_path, rate, listener, options):
    x = speech(rate, seconds=1.5)
    write_wav(tmp_path / "in.wav", x, rate)
    args = ["render", str(tmp_path / "in.wav"), str(tmp_path / "out.wav"), "--listener", listener]
    if "jitter_ms" in options:
        args += ["--jitter", str(options["jitter_ms"])]
    run_cli(*args)
    expected, fs = read_wav(tmp_path / "out.wav")
    assert fs == rate
    for dtype in (np.float32, np.float64):
        y = earshot.render(x.astype(dtype), rate, listener, **options)
        assert y.dtype == dtype
        got = y.reshape(len(x), -1)
        assert got.shape == expected.shape, (listener, dtype)
        # float64 output holds the library's float32 samples exactly.
        assert np.array_equal(got.astype(np.float32), expected), f"{listener} at {rate} Hz from {np.dtype(dtype).name}"
        assert np.array_equal(got, expected.astype(dtype))


def test_any_memory_order_gives_the_same_samples():
    x = speech(16000, seconds=1.0)
    stereo = np.stack([x, 0.5 * x], axis=1)  # C order, frames x 2
    reference = earshot.render(stereo, 16000, "left=N2,right=N5")
    fortran = np.asfortranarray(stereo)
    strided = np.stack([x, 0.5 * x, x], axis=1)[:, :2]  # a non-contiguous view
    big_endian = stereo.astype(">f4")
    assert np.array_equal(earshot.render(fortran, 16000, "left=N2,right=N5"), reference)
    assert np.array_equal(earshot.render(strided, 16000, "left=N2,right=N5"), reference)
    with pytest.raises(ValueError, match="dtype"):
        earshot.render(big_endian, 16000, "N2")  # not float32/float64 in the machine's order: refused, named


def test_a_listener_object_and_its_spec_render_alike():
    x = speech(16000, seconds=1.0)
    L = earshot.Listener("left=250:20,500:30,1000:45,2000:60,4000:70,right=ci:nucleus-ace")
    assert np.array_equal(earshot.render(x, 16000, L), earshot.render(x, 16000, L.spec))
