"""Listeners: specs as the CLI takes them, described as data, and Clarity/Cadenza listener files."""
import json

import pytest

import earshot
from conftest import corpus_dir


def test_describe_gives_each_ear_as_data():
    d = earshot.Listener("left=250:20,500:30,1000:45,2000:60,4000:70,right=ci:nucleus-ace").describe()
    assert d["left"]["audiogram_hz"] == [250.0, 500.0, 1000.0, 2000.0, 4000.0]
    assert d["left"]["audiogram_db_hl"] == [20.0, 30.0, 45.0, 60.0, 70.0]
    assert d["left"]["implant"] is None
    assert d["right"]["implant"]["electrodes"] == 22 and d["right"]["implant"]["strategy"] == "ace"
    assert d["symmetric"] is False
    assert earshot.Listener("N3").symmetric


def test_every_corpus_clarity_listener_has_its_files_audiogram():
    files = sorted((corpus_dir() / "audiograms").glob("*.json"))
    assert len(files) >= 3
    for f in files:
        for listener_id, entry in json.loads(f.read_text()).items():
            for L in (earshot.Listener.from_clarity(str(f), listener_id), earshot.Listener(f"{f}#{listener_id}")):
                d = L.describe()
                assert d["left"]["audiogram_hz"] == [float(v) for v in entry["audiogram_cfs"]]
                assert d["right"]["audiogram_hz"] == [float(v) for v in entry["audiogram_cfs"]]
                assert d["left"]["audiogram_db_hl"] == [float(v) for v in entry["audiogram_levels_l"]], listener_id
                assert d["right"]["audiogram_db_hl"] == [float(v) for v in entry["audiogram_levels_r"]], listener_id


def test_clarity_errors_are_value_errors_naming_the_file_and_field(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        earshot.Listener.from_clarity(str(tmp_path / "none.json"), "L0001")
    f = tmp_path / "l.json"
    f.write_text('{"L0001": {"audiogram_cfs": [250, 500], "audiogram_levels_l": [10, 20], "audiogram_levels_r": [10]}}')
    with pytest.raises(ValueError, match=r"L0001.audiogram_levels_r: has 1 levels for the 2 frequencies"):
        earshot.Listener.from_clarity(str(f), "L0001")
    with pytest.raises(ValueError, match=r"has no listener 'L0002' \(1 listener; nearest: L0001\)"):
        earshot.Listener.from_clarity(str(f), "L0002")


def test_bad_specs_raise_value_error():
    with pytest.raises(ValueError):
        earshot.Listener("N9")
    with pytest.raises(ValueError, match="listener"):
        earshot.render(__import__("numpy").zeros(1000, dtype="float32"), 16000, 42)
