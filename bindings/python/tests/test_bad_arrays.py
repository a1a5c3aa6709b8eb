"""Bad arrays raise ValueError naming what is wrong; none of them crashes the interpreter."""
import numpy as np
import pytest

import earshot

FS = 16000


def tone(n=FS):
    return (0.1 * np.sin(2 * np.pi * 440 * np.arange(n) / FS)).astype(np.float32)


@pytest.mark.parametrize("samples,match", [
    (np.full(FS, np.nan, dtype=np.float32), "samples"),
    (np.array([0.1, np.inf, 0.0] * 1000), "samples"),
    (np.zeros(0, dtype=np.float32), "frames"),
    (np.zeros((10, 10, 2), dtype=np.float32), "3-D"),
    (np.zeros((FS, 3), dtype=np.float32), "channels"),
    (np.zeros(FS, dtype=np.int16), "dtype"),
    (np.zeros(FS, dtype=np.complex64), "dtype"),
    ([0.0] * FS, "numpy array"),
    (np.zeros((0, 2), dtype=np.float64), "frames"),
])
def test_render_refuses_bad_arrays(samples, match):
    with pytest.raises(ValueError, match=match):
        earshot.render(samples, FS, "N3", calibration_db_spl=100)


def test_bad_rates_and_levels_name_their_fields():
    with pytest.raises(ValueError, match="sample_rate_hz"):
        earshot.render(tone(), 4000, "N3")
    with pytest.raises(ValueError, match="sample_rate_hz"):
        earshot.render(tone(), float("nan"), "N3")
    with pytest.raises(ValueError, match="level_db_spl"):
        earshot.render(tone(), FS, "N3", level_db_spl=float("nan"))
    with pytest.raises(ValueError, match="calibration_db_spl"):
        earshot.render(tone(), FS, "N3", level_db_spl=65, calibration_db_spl=100)
    with pytest.raises(ValueError, match="field"):
        earshot.render(tone(), FS, "N3", field="underwater")


def test_scores_refuse_mismatched_and_bad_arrays():
    x = tone(2 * FS)
    with pytest.raises(ValueError, match="processed"):
        earshot.stoi(x, x[:-100], FS)
    with pytest.raises(ValueError, match="clean"):
        earshot.estoi(np.full(2 * FS, np.nan), x, FS)
    with pytest.raises(ValueError, match="channels"):
        earshot.stoi(np.stack([x, x], axis=1), np.stack([x, x], axis=1), FS)
    with pytest.raises(ValueError, match="3-D"):
        earshot.stoi(x.reshape(1, -1, 1), x, FS)
    with pytest.raises(ValueError, match="noise"):
        earshot.sii(x, FS, "N3", noise=np.zeros((10, 3, 1)))


def test_engine_and_electrodogram_refuse_bad_arrays():
    eng = earshot.Engine("N3", FS, input_channels=1, output_channels=2)
    with pytest.raises(ValueError, match="block"):
        eng.process(np.zeros((256, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="block"):
        eng.process(np.full(256, np.nan, dtype=np.float32))
    assert eng.process(np.zeros(0, dtype=np.float32)).shape == (0, 2)
    with pytest.raises(ValueError, match="output_channels|channels"):
        earshot.Engine("left=N1,right=N6", FS, input_channels=1, output_channels=1)
    with pytest.raises(ValueError, match="implant"):
        earshot.electrodogram(tone(), FS, "N3")
    with pytest.raises(ValueError, match="ear"):
        earshot.electrodogram(tone(), FS, "ci:nucleus-ace", ear="middle")
    with pytest.raises(ValueError, match="samples"):
        earshot.electrodogram(np.full(FS, np.nan), FS, "ci:nucleus-ace")


def test_silence_is_a_valid_block_and_a_valid_processed_signal():
    eng = earshot.Engine("N3", FS)
    assert np.array_equal(eng.process(np.zeros(256, dtype=np.float32)), np.zeros((256, 2), dtype=np.float32))
    x = tone(2 * FS) * np.repeat(np.arange(2 * FS // 800) % 2, 800)
    assert earshot.stoi(x, np.zeros_like(x), FS) < 0.1  # nothing heard: no intelligibility, no error
    with pytest.raises(ValueError, match="clean"):
        earshot.stoi(np.zeros_like(x), x, FS)  # a silent reference is the library's error
    with pytest.raises(ValueError, match="speech|noise"):
        earshot.sii(np.zeros((FS, 0)), FS, "N3")
