# Type stubs for earshot (the docstrings are in __init__.py).
import os
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

class Listener:
    def __init__(self, spec: str) -> None: ...
    @staticmethod
    def from_clarity(path: str, id: str) -> Listener: ...
    @property
    def spec(self) -> str: ...
    @property
    def symmetric(self) -> bool: ...
    def describe(self) -> Dict[str, Any]: ...

ListenerLike = Union[str, Listener]
Samples = npt.NDArray[Union[np.float32, np.float64]]

def render(
    samples: Samples,
    sample_rate_hz: float,
    listener: ListenerLike = ...,
    *,
    level_db_spl: Optional[float] = ...,
    calibration_db_spl: Optional[float] = ...,
    field: str = ...,
    smearing: bool = ...,
    jitter_ms: float = ...,
    jitter_bandwidth_hz: float = ...,
    jitter_cutoff_hz: float = ...,
    seed: int = ...,
    aid: Optional[str] = ...,
) -> Samples: ...
def stoi(clean: Samples, processed: Samples, sample_rate_hz: float) -> float: ...
def estoi(clean: Samples, processed: Samples, sample_rate_hz: float) -> float: ...
def sii(
    speech: Optional[Samples] = ...,
    sample_rate_hz: Optional[float] = ...,
    listener: ListenerLike = ...,
    noise: Optional[Samples] = ...,
    *,
    speech_level_db_spl: Optional[float] = ...,
    calibration_db_spl: Optional[float] = ...,
    noise_level_db_spl: Optional[float] = ...,
    effort: Optional[str] = ...,
    procedure: str = ...,
) -> Dict[str, Any]: ...
def haspi(
    reference: Samples,
    test: Samples,
    sample_rate_hz: float,
    listener: ListenerLike = ...,
    *,
    ear: Optional[str] = ...,
    level_db_spl: Optional[float] = ...,
    calibration_db_spl: Optional[float] = ...,
    seed: int = ...,
) -> float: ...
def hasqi(
    reference: Samples,
    test: Samples,
    sample_rate_hz: float,
    listener: ListenerLike = ...,
    *,
    ear: Optional[str] = ...,
    level_db_spl: Optional[float] = ...,
    calibration_db_spl: Optional[float] = ...,
    seed: int = ...,
) -> float: ...
def sii_from_bands(
    speech_spectrum_db: Sequence[float],
    noise_spectrum_db: Optional[Sequence[float]] = ...,
    threshold_db: Optional[Sequence[float]] = ...,
    procedure: str = ...,
    importance: Optional[Sequence[float]] = ...,
) -> float: ...
def electrodogram(
    samples: Samples,
    sample_rate_hz: float,
    listener: ListenerLike = ...,
    *,
    ear: Optional[str] = ...,
    level_db_spl: Optional[float] = ...,
    calibration_db_spl: Optional[float] = ...,
) -> Dict[str, Any]: ...

class Engine:
    def __init__(
        self,
        listener: ListenerLike,
        sample_rate_hz: float,
        input_channels: int = ...,
        output_channels: int = ...,
        *,
        calibration_db_spl: float = ...,
        field: str = ...,
        smearing: bool = ...,
        jitter_ms: float = ...,
        seed: int = ...,
        aid: Optional[str] = ...,
    ) -> None: ...
    def process(self, block: Samples) -> Samples: ...
    def set_listener(self, listener: ListenerLike, move_s: float = ..., aid: Optional[str] = ...) -> None: ...
    def reset(self) -> None: ...
    @property
    def latency_frames(self) -> int: ...
    @property
    def changing(self) -> bool: ...
    @property
    def frames_processed(self) -> int: ...
    @property
    def last_change_frame(self) -> int: ...

def render_scene(scene: Union[str, os.PathLike[str], Mapping[str, Any]]) -> Tuple[npt.NDArray[np.float32], float]: ...
