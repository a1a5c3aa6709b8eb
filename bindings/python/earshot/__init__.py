"""earshot: render what a listener hears, and score how much speech survives.

The functions here call earshot's C++ library (the same code as the ``earshot`` command), so a
render equals the CLI's render sample for sample. Audio is a numpy array: 1-D (mono) or
frames x channels (channel 0 = left ear, 1 = right ear), float32 or float64 in any memory order;
results come back in the input's dtype. The library releases the GIL while it works, so threads
render in parallel. Bad input raises ValueError with one line naming the field.

Levels are physical: by default the input's active speech level (ITU-T P.56) is presented at
65 dB SPL (``level_db_spl``); or give ``calibration_db_spl`` (a digital RMS of 1.0 reads as that).

Examples
--------
>>> import numpy as np, earshot
>>> fs = 16000
>>> t = np.arange(fs) / fs
>>> x = (0.1 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
>>> y = earshot.render(x, fs, listener="N3", calibration_db_spl=100)
>>> y.shape, y.dtype
((16000,), dtype('float32'))
"""
from __future__ import annotations

import os
import tempfile
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _earshot
from ._earshot import Listener

__version__: str = _earshot.__version__

__all__ = [
    "Listener",
    "Engine",
    "render",
    "stoi",
    "estoi",
    "sii",
    "sii_from_bands",
    "haspi",
    "hasqi",
    "electrodogram",
    "render_scene",
]

ListenerLike = Union[str, Listener]

Listener.__doc__ = """A listener: both ears' audiograms, conductive parts and devices.

Parameters
----------
spec : str
    Anything the CLI's ``--listener`` takes: a preset (``"normal"``, ``"N1"``..``"N7"``,
    ``"S1"``..``"S3"``, ``"deaf"``), an audiogram ``"250:20,500:30,1000:45"`` (Hz:dB HL), ``age:`` and
    ``noise:`` specs, devices (``"ci:nucleus-ace"``, ``"eas:nucleus-hybrid"``, ``"vocoder:noise-8"``),
    ``"left=SPEC,right=SPEC"``, a profile ``.toml`` path, or ``"listeners.json#L0001"``.

Raises
------
ValueError
    If the spec is not a listener; the message names the field.

Examples
--------
>>> import earshot
>>> L = earshot.Listener("left=250:20,500:30,1000:45,2000:60,4000:70,right=ci:nucleus-ace")
>>> d = L.describe()
>>> d["left"]["audiogram_db_hl"]
[20.0, 30.0, 45.0, 60.0, 70.0]
>>> d["right"]["implant"]["electrodes"]
22
"""


def render(
    samples: np.ndarray,
    sample_rate_hz: float,
    listener: ListenerLike = "normal",
    *,
    level_db_spl: Optional[float] = None,
    calibration_db_spl: Optional[float] = None,
    field: str = "free",
    smearing: bool = True,
    jitter_ms: float = 0.0,
    jitter_bandwidth_hz: float = 500.0,
    jitter_cutoff_hz: float = 1200.0,
    seed: int = 1,
    aid: Optional[str] = None,
) -> np.ndarray:
    """Render a signal as the listener hears it (``earshot render``, sample for sample).

    Parameters
    ----------
    samples : numpy.ndarray
        1-D (mono: both ears hear it) or frames x channels with 1 or 2 channels (left, right);
        float32 or float64.
    sample_rate_hz : float
        8000 ... 192000.
    listener : str or Listener
        Any listener spec (see :class:`Listener`) or a Listener.
    level_db_spl : float, optional
        Present the input's active speech level (ITU-T P.56) at this level (default 65).
    calibration_db_spl : float, optional
        Instead: a digital RMS of 1.0 reads as this many dB SPL.
    field : {"free", "diffuse"}
        How sound reaches the listener (ISO 389-7 reference thresholds).
    smearing : bool
        Spectral smearing (Baer & Moore).
    jitter_ms, jitter_bandwidth_hz, jitter_cutoff_hz : float
        Temporal jitter of the band below the cutoff: rms delay (0 = off), how fast it wanders.
    seed : int
        Same input, listener, options and seed: same samples.
    aid : str, optional
        A hearing aid in front of each ear's model, as ``earshot render --aid`` takes it: a
        prescription (``"nal-r"``, ``"nal-rp"``, ``"fig6"``, ``"half-gain"``, ``"pogo"``), with
        ``"wdrc"`` for multiband compression with an output limiter (``attack=MS``,
        ``release=MS``, ``mpo=DB``) and ``"nr"`` for noise reduction (``nr-floor=DB``), comma
        separated; ``"left=nal-r"`` for one ear. ``"none"`` takes off any aid the listener's
        profile has. None (default): the listener as given.

    Returns
    -------
    numpy.ndarray
        As long as the input and aligned with it (the aid's delay removed too), in the input's
        dtype. 1-D when the input is 1-D and both ears hear alike; otherwise frames x 2 (left, right).

    Raises
    ------
    ValueError
        Bad samples (NaN, empty, 3-D, more than 2 channels), rate, listener or level.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> x = np.random.default_rng(1).standard_normal(16000) * 0.05
    >>> y = earshot.render(x, 16000, "left=N2,right=S2", calibration_db_spl=100)
    >>> y.shape, y.dtype
    ((16000, 2), dtype('float64'))

    The same N3 listener with a NAL-R aid and compression, then unaided, at 55 dB SPL:

    >>> aided = earshot.render(x, 16000, "N3", level_db_spl=55, aid="nal-r,wdrc")
    >>> unaided = earshot.render(x, 16000, "N3", level_db_spl=55)
    >>> bool(np.sqrt(np.mean(aided ** 2)) > 2 * np.sqrt(np.mean(unaided ** 2)))
    True
    """
    return _earshot.render(samples, float(sample_rate_hz), listener, level_db_spl, calibration_db_spl, field, smearing,
                           float(jitter_ms), float(jitter_bandwidth_hz), float(jitter_cutoff_hz), int(seed), aid)


def stoi(clean: np.ndarray, processed: np.ndarray, sample_rate_hz: float) -> float:
    """Short-Time Objective Intelligibility (Taal et al. 2011) of `processed` against `clean`.

    Parameters
    ----------
    clean, processed : numpy.ndarray
        Mono signals of the same length and rate (1-D, or one column), float32 or float64.
    sample_rate_hz : float
        Their rate; both are resampled to STOI's 10 kHz.

    Returns
    -------
    float
        STOI, about 0 ... 1.

    Raises
    ------
    ValueError
        Lengths differ, silent reference, NaN, more than one channel.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(32000) * np.repeat(rng.random(100) > 0.3, 320)
    >>> round(earshot.stoi(x, x, 16000), 6)
    1.0
    """
    return _earshot.stoi(clean, processed, float(sample_rate_hz))


def estoi(clean: np.ndarray, processed: np.ndarray, sample_rate_hz: float) -> float:
    """Extended STOI (Jensen & Taal 2016) of `processed` against `clean`.

    Parameters and errors as :func:`stoi`.

    Returns
    -------
    float
        ESTOI, about 0 ... 1.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(32000) * np.repeat(rng.random(100) > 0.3, 320)
    >>> earshot.estoi(x, x + rng.standard_normal(32000), 16000) < 1.0
    True
    """
    return _earshot.estoi(clean, processed, float(sample_rate_hz))


def sii(
    speech: Optional[np.ndarray] = None,
    sample_rate_hz: Optional[float] = None,
    listener: ListenerLike = "normal",
    noise: Optional[np.ndarray] = None,
    *,
    speech_level_db_spl: Optional[float] = None,
    calibration_db_spl: Optional[float] = None,
    noise_level_db_spl: Optional[float] = None,
    effort: Optional[str] = None,
    procedure: str = "third_octave",
) -> Dict[str, Any]:
    """Speech Intelligibility Index (ANSI S3.5-1997) per ear, as ``earshot score --speech``.

    Parameters
    ----------
    speech : numpy.ndarray, optional
        Speech (mono, or left/right); its spectrum while speech is going on is used. Or give `effort`.
    sample_rate_hz : float, optional
        The rate of `speech` and `noise`.
    listener : str or Listener
        The listener (acoustic ears only: an implanted ear has no SII).
    noise : numpy.ndarray, optional
        A noise at the same rate; in quiet without it.
    speech_level_db_spl : float, optional
        The speech's active level (default 65 dB SPL).
    calibration_db_spl : float, optional
        Instead: a fixed calibration for speech and noise.
    noise_level_db_spl : float, optional
        The noise's long-term level (otherwise the speech's calibration).
    effort : {"normal", "raised", "loud", "shout"}, optional
        ANSI S3.5 standard speech instead of `speech`.
    procedure : {"critical", "equally_critical", "third_octave", "octave"}
        The band procedure.

    Returns
    -------
    dict
        ``left``, ``right`` (SII 0 ... 1), ``speech_level_db_spl``, ``band_centre_hz`` and
        ``band_audibility`` (``{"left": [...], "right": [...]}``).

    Examples
    --------
    >>> import earshot
    >>> s = earshot.sii(effort="normal", listener="N3")
    >>> 0.0 < s["left"] < 1.0
    True
    """
    return _earshot.sii(speech, None if sample_rate_hz is None else float(sample_rate_hz), listener, noise, speech_level_db_spl,
                        calibration_db_spl, noise_level_db_spl, effort, procedure)


def haspi(
    reference: np.ndarray,
    test: np.ndarray,
    sample_rate_hz: float,
    listener: ListenerLike = "normal",
    *,
    ear: Optional[str] = None,
    level_db_spl: Optional[float] = None,
    calibration_db_spl: Optional[float] = None,
    seed: int = 1,
) -> float:
    """HASPI v2 (Kates & Arehart 2021, Speech Communication 131:35-46): intelligibility for one ear.

    The same call as ``earshot score --ref --test --listener --haspi`` makes for a channel, so the
    value equals the CLI's ``haspi_v2`` for the same pair (seed 1). `test` is what reaches the ear:
    a hearing aid's output, or the unprocessed signal for an unaided ear; HASPI models the loss
    itself from the ear's audiogram (read at 250 ... 6000 Hz), so do not give it a render.

    Parameters
    ----------
    reference, test : numpy.ndarray
        The clean reference and the signal at the ear: mono (1-D, or one column), float32 or
        float64, at `sample_rate_hz` (HASPI resamples to 24 kHz and aligns them itself).
    sample_rate_hz : float
        Their rate.
    listener : str or Listener
        The listener; its ear's audiogram is used (an implanted ear is not scored).
    ear : {"left", "right"}, optional
        Which ear heard `test`; may be left out when both ears are alike.
    level_db_spl : float, optional
        The reference's active speech level (ITU-T P.56) in dB SPL (default 65), or:
    calibration_db_spl : float, optional
        A digital RMS of 1.0 is this many dB SPL (HASPI's ``level1``; 65 in pyclarity).
    seed : int
        The envelope dither's seed (each ear's stream is derived from it; 1, as ``earshot score``).

    Returns
    -------
    float
        HASPI v2, 0 ... 1 (about 1 for identical signals and normal hearing).

    Raises
    ------
    ValueError
        NaN, more than one channel, a silent reference, an implanted ear (``listener``), two
        different ears and no `ear`.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(32000) * np.repeat(rng.random(100) > 0.3, 320)
    >>> round(earshot.haspi(x, x, 16000, "normal"), 3)
    1.0
    >>> earshot.haspi(x, x + 2 * rng.standard_normal(32000), 16000, "N3") < 0.5
    True
    """
    return _earshot.haspi(reference, test, float(sample_rate_hz), listener, ear, level_db_spl, calibration_db_spl, int(seed))


def hasqi(
    reference: np.ndarray,
    test: np.ndarray,
    sample_rate_hz: float,
    listener: ListenerLike = "normal",
    *,
    ear: Optional[str] = None,
    level_db_spl: Optional[float] = None,
    calibration_db_spl: Optional[float] = None,
    seed: int = 1,
) -> float:
    """HASQI v2 (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117): speech quality for one ear.

    The same call as ``earshot score --ref --test --listener --hasqi`` makes for a channel (its
    ``hasqi_v2``). The reference is first amplified by NAL-R for the ear's loss (as pyclarity's
    ``hasqi_v2(equalisation=1)``); `test` is what reaches the ear, as for :func:`haspi`.

    Parameters
    ----------
    reference, test, sample_rate_hz, listener, ear, level_db_spl, calibration_db_spl
        As in :func:`haspi`.
    seed : int
        The seed of the ear model's threshold noise (each ear's stream is derived from it; 1, as
        ``earshot score``).

    Returns
    -------
    float
        HASQI v2, 0 ... 1 (1: the ear cannot tell `test` from the amplified reference).

    Raises
    ------
    ValueError
        As :func:`haspi`.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(32000) * np.repeat(rng.random(100) > 0.3, 320)
    >>> earshot.hasqi(x, x, 16000, "normal") > 0.95
    True
    >>> earshot.hasqi(x, x, 16000, "left=normal,right=N4", ear="right") < 0.9
    True
    """
    return _earshot.hasqi(reference, test, float(sample_rate_hz), listener, ear, level_db_spl, calibration_db_spl, int(seed))


def sii_from_bands(
    speech_spectrum_db: Sequence[float],
    noise_spectrum_db: Optional[Sequence[float]] = None,
    threshold_db: Optional[Sequence[float]] = None,
    procedure: str = "third_octave",
    importance: Optional[Sequence[float]] = None,
) -> float:
    """The SII from band levels (ANSI S3.5-1997 clause 4), one value per band of the procedure.

    Parameters
    ----------
    speech_spectrum_db : sequence of float
        Equivalent speech spectrum level E', dB SPL per Hz.
    noise_spectrum_db : sequence of float, optional
        Equivalent noise spectrum level N' (default: quiet).
    threshold_db : sequence of float, optional
        Equivalent hearing threshold level T', dB HL (default 0).
    procedure : {"critical", "equally_critical", "third_octave", "octave"}
        21, 17, 18 or 6 bands.
    importance : sequence of float, optional
        Band importance (default: the procedure's standard function).

    Returns
    -------
    float
        SII, 0 ... 1.

    Examples
    --------
    >>> import earshot
    >>> round(earshot.sii_from_bands([50, 40, 40, 30, 20, 0], [70, 65, 45, 25, 1, -15], [0] * 6, "octave"), 3)
    0.504
    """
    as_list = lambda v: None if v is None else [float(x) for x in v]  # noqa: E731
    return _earshot.sii_from_bands(as_list(speech_spectrum_db), as_list(noise_spectrum_db), as_list(threshold_db), procedure,
                                   as_list(importance))


def electrodogram(
    samples: np.ndarray,
    sample_rate_hz: float,
    listener: ListenerLike = "ci:nucleus-ace",
    *,
    ear: Optional[str] = None,
    level_db_spl: Optional[float] = None,
    calibration_db_spl: Optional[float] = None,
) -> Dict[str, Any]:
    """Every pulse an implanted ear's processor sends (``earshot electrodogram``).

    Parameters
    ----------
    samples : numpy.ndarray
        Mono or left/right, float32 or float64.
    sample_rate_hz : float
        The rate.
    listener : str or Listener
        A listener with a cochlear implant on at least one ear.
    ear : {"left", "right"}, optional
        Which ear (default: the implanted one, left first).
    level_db_spl, calibration_db_spl : float, optional
        As in :func:`render`.

    Returns
    -------
    dict
        ``time_s`` (float64), ``electrode`` (the device's electrode number, int32),
        ``current_ua`` (float64), one entry per pulse in time order; and ``ear``.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> fs = 16000
    >>> x = 0.1 * np.sin(2 * np.pi * 1000 * np.arange(fs) / fs)
    >>> p = earshot.electrodogram(x, fs, "ci:nucleus-ace", calibration_db_spl=100)
    >>> sorted(k for k in p if k != "ear"), p["ear"]
    (['current_ua', 'electrode', 'time_s'], 'left')
    """
    return _earshot.electrodogram(samples, float(sample_rate_hz), listener, ear or "", level_db_spl, calibration_db_spl)


class Engine:
    """The streaming engine (the library's LiveEngine): blocks in, blocks out, listener changes as moves.

    Parameters
    ----------
    listener : str or Listener
        The listener at the start.
    sample_rate_hz : float
        The stream's rate.
    input_channels : {1, 2}
        Mono (both ears hear it) or left/right.
    output_channels : {1, 2}
        1 needs ears alike; 2 is left, right whatever the listener.
    calibration_db_spl : float
        A digital RMS of 1.0 reads as this many dB SPL (a stream has no level to measure).
    field, smearing, jitter_ms, seed
        As in :func:`render`.
    aid : str, optional
        A hearing aid on every listener the engine is given (as in :func:`render`); it stays on
        through ``set_listener`` unless that is given another (``"none"``: off). An engine given
        an aid, even ``"none"``, has room in its latency for any aid (its delay, about 8 to 16 ms,
        is added); one given none can be given an aid later only if its listener had one.

    Notes
    -----
    Output is delayed by ``latency_frames`` (fixed at construction, the same for every listener).
    ``process`` takes any number of frames; the output does not depend on how a stream is cut into
    blocks. ``set_listener`` may be called from another thread while ``process`` runs.

    Examples
    --------
    >>> import numpy as np, earshot
    >>> eng = earshot.Engine("N3", 16000, input_channels=1, output_channels=2)
    >>> out = eng.process(np.zeros(256, dtype=np.float32))
    >>> out.shape
    (256, 2)
    >>> eng.set_listener("N5", move_s=2.0)

    An aided N3 listener; the aid comes off in a one-second move:

    >>> aided = earshot.Engine("N3", 16000, aid="nal-r,wdrc")
    >>> aided.process(np.zeros(256)).shape
    (256, 2)
    >>> aided.set_listener("N3", move_s=1.0, aid="none")
    >>> aided.latency_frames > earshot.Engine("N3", 16000).latency_frames
    True
    """

    def __init__(self, listener: ListenerLike, sample_rate_hz: float, input_channels: int = 1, output_channels: int = 2, *,
                 calibration_db_spl: float = 100.0, field: str = "free", smearing: bool = True, jitter_ms: float = 0.0,
                 seed: int = 1, aid: Optional[str] = None) -> None:
        self._engine = _earshot.Engine(listener, float(sample_rate_hz), int(input_channels), int(output_channels),
                                       float(calibration_db_spl), field, smearing, float(jitter_ms), int(seed), aid)

    def process(self, block: np.ndarray) -> np.ndarray:
        """Render one block: frames (1-D) or frames x input_channels in; frames x output_channels out.

        Examples
        --------
        >>> import numpy as np, earshot
        >>> earshot.Engine("normal", 48000).process(np.zeros((480, 1))).dtype
        dtype('float64')
        """
        return self._engine.process(block)

    def set_listener(self, listener: ListenerLike, move_s: float = 0.0, aid: Optional[str] = None) -> None:
        """Move to another listener over `move_s` seconds (0: the shortest click-free move).

        `aid` replaces the engine's aid (as in :func:`render`; ``"none"`` takes it off); None keeps
        the one it has. Putting an aid on or taking it off is a crossfade over the move.

        Examples
        --------
        >>> import earshot
        >>> earshot.Engine("N2", 16000).set_listener("ci:nucleus-ace", move_s=1.0)
        >>> earshot.Engine("N3", 16000, aid="none").set_listener("N3", move_s=0.5, aid="fig6,wdrc")
        """
        self._engine.set_listener(listener, float(move_s), aid)

    def reset(self) -> None:
        """Forget the stream so far (filters, envelopes, a move in progress ends).

        Examples
        --------
        >>> import earshot
        >>> earshot.Engine("N2", 16000).reset()
        """
        self._engine.reset()

    @property
    def latency_frames(self) -> int:
        """Frames by which the output lags the input, fixed for the engine's life."""
        return self._engine.latency_frames

    @property
    def changing(self) -> bool:
        """True while a listener change waits or a move is being rendered."""
        return self._engine.changing

    @property
    def frames_processed(self) -> int:
        """Frames rendered since the engine was made (``reset`` does not restart the count)."""
        return self._engine.frames_processed

    @property
    def last_change_frame(self) -> int:
        """The frame count at which the latest `set_listener` was taken (its move starts there); -1 before any.

        A change is taken at the start of the next `process` call, so a stream knows where in its
        own frames the new listener began.

        Examples
        --------
        >>> import numpy as np, earshot
        >>> eng = earshot.Engine("N3", 16000)
        >>> _ = eng.process(np.zeros(1000))
        >>> eng.set_listener("N6", move_s=0.1)
        >>> _ = eng.process(np.zeros(500))
        >>> eng.last_change_frame, eng.frames_processed
        (1000, 1500)
        """
        return self._engine.last_change_frame


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + "}"
    raise ValueError(f"scene: {value!r} cannot be written in a scene (numbers, strings, lists and tables only)")


def _scene_toml(scene: Mapping[str, Any]) -> str:
    # Top-level values first, then arrays of tables ([[input]], [[keyframe]], ...), as TOML requires.
    lines = []
    tables = []
    for key, value in scene.items():
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
            tables.append((key, value))
        else:
            lines.append(f'"{key}" = {_toml_value(value)}')
    for key, entries in tables:
        for entry in entries:
            lines.append(f"[[{key}]]")
            lines.extend(f'"{k}" = {_toml_value(v)}' for k, v in entry.items())
    return "\n".join(lines) + "\n"


def render_scene(scene: Union[str, "os.PathLike[str]", Mapping[str, Any]]) -> Tuple[np.ndarray, float]:
    """Render a scene (docs/scenes.md), as ``earshot scene FILE -o OUT`` does.

    Parameters
    ----------
    scene : str, path or dict
        A scene .toml file, or a dict with the same fields (``input``, ``keyframe``, ``tinnitus``,
        ... as lists of dicts). A dict's relative paths are taken from the current directory.

    Returns
    -------
    (numpy.ndarray, float)
        The render, frames x 2 (left, right) float32, and its sample rate.

    Raises
    ------
    ValueError
        The scene's problems, fields named, or its inputs' (unreadable, bad rate).

    Examples
    --------
    >>> import earshot  # doctest: +SKIP
    >>> y, fs = earshot.render_scene({"input": [{"file": "speech.wav"}],  # doctest: +SKIP
    ...                               "keyframe": [{"time_s": 0, "listener": "normal"},
    ...                                            {"time_s": 2, "listener": "N5", "transition_s": 1}]})
    """
    if isinstance(scene, Mapping):
        # Written beside nothing: the file lives in a temporary folder, so relative input and
        # listener paths are made absolute against the current directory first.
        scene = dict(scene)
        cwd = os.getcwd()
        if isinstance(scene.get("input"), (list, tuple)):
            scene["input"] = [dict(i, file=os.path.join(cwd, i["file"])) if isinstance(i, Mapping) and isinstance(i.get("file"), str)
                              else i for i in scene["input"]]
        if isinstance(scene.get("keyframe"), (list, tuple)):
            def absolute(k: Any) -> Any:
                who = k.get("listener") if isinstance(k, Mapping) else None
                if isinstance(who, str) and (who.lower().endswith(".toml") or ".json" in who.lower()):
                    return dict(k, listener=os.path.join(cwd, who))
                return k
            scene["keyframe"] = [absolute(k) for k in scene["keyframe"]]
        with tempfile.TemporaryDirectory(prefix="earshot_scene_") as folder:
            path = os.path.join(folder, "scene.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(_scene_toml(scene))
            return _earshot.render_scene_file(path)
    return _earshot.render_scene_file(os.fspath(scene))
