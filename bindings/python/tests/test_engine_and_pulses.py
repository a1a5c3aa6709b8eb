"""The streaming Engine, the electrodogram and scenes against the CLI and the library's promises."""
import csv

import numpy as np
import pytest

import earshot
from conftest import read_wav, run_cli, speech, write_wav


def test_engine_output_does_not_depend_on_block_size_and_changes_listener():
    x = speech(16000, seconds=1.0)
    whole = earshot.Engine("N3", 16000, 1, 2, calibration_db_spl=100).process(x)
    eng = earshot.Engine("N3", 16000, 1, 2, calibration_db_spl=100)
    pieces = np.concatenate([eng.process(x[i:i + 97]) for i in range(0, len(x), 97)])
    assert whole.shape == (len(x), 2) and whole.dtype == np.float32
    assert np.array_equal(whole, pieces)
    assert eng.latency_frames > 0
    assert eng.last_change_frame == -1 and eng.frames_processed == len(x)
    eng.set_listener("N6", move_s=0.1)
    after = np.concatenate([eng.process(x[i:i + 256]) for i in range(0, len(x), 256)])
    assert not eng.changing
    assert eng.last_change_frame == len(x) and eng.frames_processed == 2 * len(x)  # taken at the next block's start
    # A severe loss is quieter than a moderate one on the same speech.
    assert np.sqrt(np.mean(after[-8000:] ** 2)) < np.sqrt(np.mean(whole[-8000:] ** 2))


def test_electrodogram_matches_the_cli_csv(tmp_path):
    x = speech(16000, seconds=1.0)
    write_wav(tmp_path / "in.wav", x, 16000)
    run_cli("electrodogram", str(tmp_path / "in.wav"), "--listener", "ci:nucleus-ace", "-o", str(tmp_path / "p.csv"))
    rows = list(csv.DictReader(open(tmp_path / "p.csv")))
    for dtype in (np.float32, np.float64):
        p = earshot.electrodogram(x.astype(dtype), 16000, "ci:nucleus-ace")
        assert p["ear"] == "left"
        assert len(p["time_s"]) == len(rows) > 1000
        assert np.array_equal(p["electrode"], [int(r["electrode"]) for r in rows])
        assert np.allclose(p["time_s"], [float(r["time_s"]) for r in rows], atol=5.001e-7, rtol=0)  # the CSV rounds to %.6f
        assert np.allclose(p["current_ua"], [float(r["current_ua"]) for r in rows], atol=0.05001, rtol=0)  # and to %.1f


def test_render_scene_from_a_file_and_a_dict_equals_the_cli(tmp_path, monkeypatch):
    x = speech(16000, seconds=2.0)
    write_wav(tmp_path / "in.wav", x, 16000)
    (tmp_path / "s.toml").write_text('seed = 3\n[[input]]\nfile = "in.wav"\n[[keyframe]]\ntime_s = 0\nlistener = "normal"\n'
                                     '[[keyframe]]\ntime_s = 1\nlistener = "N5"\ntransition_s = 0.5\n'
                                     '[[tinnitus]]\nfrequency_hz = 4000\nlevel_db_spl = 30\n')
    run_cli("scene", str(tmp_path / "s.toml"), "-o", str(tmp_path / "cli.wav"))
    expected, fs = read_wav(tmp_path / "cli.wav")
    y, rate = earshot.render_scene(str(tmp_path / "s.toml"))
    assert rate == fs == 16000
    assert np.array_equal(y, expected)
    monkeypatch.chdir(tmp_path)
    y2, _ = earshot.render_scene({"seed": 3, "input": [{"file": "in.wav"}],
                                  "keyframe": [{"time_s": 0, "listener": "normal"},
                                               {"time_s": 1, "listener": "N5", "transition_s": 0.5}],
                                  "tinnitus": [{"frequency_hz": 4000, "level_db_spl": 30}]})
    assert np.array_equal(y2, expected)
    with pytest.raises(ValueError, match="keyframe"):
        earshot.render_scene({"input": [{"file": "in.wav"}], "keyframe": [{"time_s": 0, "listener": "N9"}]})
