"""STOI/ESTOI against the reference values in ../shared/oracles/stoi (within 1e-4), and
sii_from_bands against every ANSI S3.5 vector in ../shared/oracles/sii (the C++ test's tolerances)."""
import csv

import numpy as np
import pytest

import earshot
from conftest import oracles_dir, read_wav


def test_stoi_and_estoi_match_the_oracle():
    folder = oracles_dir() / "stoi"
    rows = list(csv.DictReader(open(folder / "values.csv")))
    assert len(rows) >= 20
    for row in rows:
        clean, fs = read_wav(folder / row["clean"])
        noisy, fs2 = read_wav(folder / row["noisy"])
        assert fs == fs2 == float(row["fs"])
        for dtype in (np.float32, np.float64):
            x, y = clean[:, 0].astype(dtype), noisy[:, 0].astype(dtype)
            assert abs(earshot.stoi(x, y, fs) - float(row["stoi"])) < 1e-4, row["noisy"]
            assert abs(earshot.estoi(x, y, fs) - float(row["estoi"])) < 1e-4, row["noisy"]


def numbers(text):
    return [float(v) for v in text.split()] if text.strip() else None


def test_sii_from_bands_reproduces_every_vector():
    rows = list(csv.DictReader(open(oracles_dir() / "sii" / "vectors.csv")))
    assert len(rows) == 9
    for row in rows:
        kwargs = {}
        if numbers(row["importance"]) is not None:
            kwargs["importance"] = numbers(row["importance"])
        value = earshot.sii_from_bands(numbers(row["speech_spectrum_db"]), numbers(row["noise_spectrum_db"]),
                                       numbers(row["threshold_db"]), procedure=row["procedure"], **kwargs)
        assert abs(value - float(row["expected_sii_published"])) <= 1e-3, row["name"]
        assert abs(value - float(row["expected_sii_reference"])) <= 1e-5, row["name"]


def test_sii_from_bands_errors_name_the_field():
    with pytest.raises(ValueError, match="procedure"):
        earshot.sii_from_bands([50] * 6, procedure="quarter_octave")
    with pytest.raises(ValueError, match="speech"):
        earshot.sii_from_bands([50] * 5, procedure="octave")  # 5 values for 6 bands


def test_sii_of_signals_falls_with_hearing_loss():
    t = np.arange(32000) / 16000
    x = 0.1 * np.sin(2 * np.pi * 500 * t) * (np.sin(2 * np.pi * 3 * t) > 0) + 0.03 * np.random.default_rng(2).standard_normal(32000)
    normal = earshot.sii(x, 16000, "normal")
    n4 = earshot.sii(x, 16000, "N4")
    assert n4["left"] < normal["left"] and n4["right"] < normal["right"]
    assert len(normal["band_centre_hz"]) == 18
    with pytest.raises(ValueError, match="listener"):
        earshot.sii(x, 16000, "ci:nucleus-ace")
