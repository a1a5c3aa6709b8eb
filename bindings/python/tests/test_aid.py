"""Hearing aids from Python (issue 16): earshot.render(..., aid=...) gives `earshot render --aid`'s
samples bit for bit, an aid lifts what N3 hears, Engine carries its aid through a listener change,
and a bad aid is a ValueError that names it."""
import numpy as np
import pytest

import earshot
from conftest import read_wav, run_cli, speech, write_wav


def rms_db(x):
    return 10.0 * np.log10(np.mean(np.asarray(x, dtype=np.float64) ** 2))


@pytest.mark.parametrize("listener,aid", [
    ("N3", "nal-r"),
    ("N3", "nal-r,wdrc"),
    ("N4", "fig6,wdrc,nr"),
    ("left=N3,right=ci:nucleus-ace", "left=nal-r,wdrc"),
], ids=["nal-r", "nal-r-wdrc", "fig6-wdrc-nr", "bimodal"])
def test_render_with_an_aid_equals_cli(tmp_path, listener, aid):
    rate = 16000
    x = speech(rate, seconds=1.5)
    write_wav(tmp_path / "in.wav", x, rate)
    run_cli("render", str(tmp_path / "in.wav"), str(tmp_path / "out.wav"), "--listener", listener, "--aid", aid, "--level", "55")
    expected, fs = read_wav(tmp_path / "out.wav")
    assert fs == rate
    got = earshot.render(x.astype(np.float32), rate, listener, level_db_spl=55, aid=aid).reshape(len(x), -1)
    assert got.shape == expected.shape
    assert np.array_equal(got, expected), f"{listener} with {aid}"


def test_an_aid_lifts_what_n3_hears_and_none_takes_it_off():
    x = speech(16000, seconds=1.5)
    unaided = earshot.render(x, 16000, "N3", level_db_spl=55)
    aided = earshot.render(x, 16000, "N3", level_db_spl=55, aid="nal-r,wdrc")
    assert rms_db(aided) > rms_db(unaided) + 10.0  # N3 at 55 dB SPL: NAL-R gives tens of dB above 1 kHz
    assert np.array_equal(earshot.render(x, 16000, "N3", level_db_spl=55, aid="none"), unaided)


def test_engine_with_an_aid_streams_the_aided_render_and_can_take_it_off():
    rate = 16000
    x = speech(rate, seconds=1.0).astype(np.float32)
    plain = earshot.Engine("N3", rate, calibration_db_spl=100.0, aid="none")  # room for an aid, none on
    aided = earshot.Engine("N3", rate, calibration_db_spl=100.0, aid="nal-r,wdrc")
    # Latency is fixed at construction, with room for any aid in both: they delay alike.
    assert aided.latency_frames == plain.latency_frames > earshot.Engine("N3", rate).latency_frames
    y_plain = np.concatenate([plain.process(b) for b in np.array_split(x, 7)])
    y_aided = np.concatenate([aided.process(b) for b in np.array_split(x, 5)])
    assert rms_db(y_aided) > rms_db(y_plain) + 10.0
    # The aid comes off with a move, and stays off through the next change.
    aided.set_listener("N3", move_s=0.0, aid="none")
    for _ in range(4):
        aided.process(np.zeros(4096, dtype=np.float32))
    aided.set_listener("N3", move_s=0.0)
    plain.reset()
    aided.reset()
    z_plain = np.concatenate([plain.process(b) for b in np.array_split(x, 3)])
    z_after = np.concatenate([aided.process(b) for b in np.array_split(x, 3)])
    assert abs(rms_db(z_after) - rms_db(z_plain)) < 0.5


def test_an_engine_without_room_for_an_aid_refuses_one_and_says_why():
    eng = earshot.Engine("N3", 16000)
    with pytest.raises(ValueError, match="hearing aid"):
        eng.set_listener("N3", aid="nal-r")
    room = earshot.Engine("N3", 16000, aid="none")
    room.set_listener("N3", aid="fig6,wdrc,nr")  # the slowest aid fits


def test_a_bad_aid_is_a_value_error_naming_it():
    x = np.zeros(1600)
    with pytest.raises(ValueError, match="aid"):
        earshot.render(x, 16000, "N3", aid="nal-x")
    with pytest.raises(ValueError, match="aid"):
        earshot.Engine("N3", 16000, aid="wdrc")  # compression needs a prescription
    with pytest.raises(ValueError, match="aid"):
        earshot.render(x, 16000, "ci:nucleus-ace", aid="nal-r")  # an implanted ear cannot wear an aid


def test_batch_manifest_with_an_aid_column_gives_the_cli_bytes(tmp_path):
    import earshot.batch
    x = speech(16000, seconds=1.5)
    write_wav(tmp_path / "s.wav", x, 16000)
    manifest = tmp_path / "m.csv"
    manifest.write_text('input,listener,aid,level_db_spl\ns.wav,N3,,55\ns.wav,N3,"nal-r,wdrc",55\n')
    run_cli("batch", str(manifest), "--out", str(tmp_path / "cli"), "--scores", str(tmp_path / "cli.csv"))
    result = earshot.batch.run(manifest, tmp_path / "py", jobs=2, scores=tmp_path / "py.csv")
    assert result.failed == 0
    assert (tmp_path / "py.csv").read_text() == (tmp_path / "cli.csv").read_text()
    names = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert len(names) == 2 and any("aid" in n for n in names), names
    for name in names:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
