"""Run by the ctest python_pip_install after `pip install --target DIR .`: the package imports from
DIR (not from the build folder), carries its type stubs, and renders."""
import sys
from pathlib import Path

import numpy as np

import earshot

target = Path(sys.argv[1]).resolve()
assert Path(earshot.__file__).resolve().is_relative_to(target), earshot.__file__
for name in ("py.typed", "__init__.pyi", "__init__.py"):
    assert (target / "earshot" / name).is_file(), name
x = (0.1 * np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000)).astype(np.float32)
y = earshot.render(x, 16000, "N3", calibration_db_spl=100)
assert y.shape == x.shape and y.dtype == np.float32 and np.all(np.isfinite(y))
print(f"earshot {earshot.__version__} installed by pip into {target} renders")
