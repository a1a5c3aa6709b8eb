"""Builds the earshot Python package (bindings/python) through CMake.

`python3 -m pip install --no-build-isolation .` from the repository root configures the project
with CMake (tests and benchmarks off) and builds one target, earshot_python: the extension module
earshot._earshot, which links the library's layers statically (FFTW, libsndfile, toml++, libpng
and cairo stay shared system libraries). pybind11, numpy and setuptools come from Debian's packages.

EARSHOT_BUILD_DIR=PATH reuses a CMake build folder that has already been configured (scripts/build.sh
makes build/): only the module's target is brought up to date there, so the library is not
compiled a second time.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    for line in (ROOT / "CMakeLists.txt").read_text().splitlines():
        if line.startswith("project(earshot VERSION "):
            return line.split()[2]
    raise RuntimeError("CMakeLists.txt has no project(earshot VERSION ...) line")


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        target = Path(self.get_ext_fullpath(ext.name)).resolve()
        existing = os.environ.get("EARSHOT_BUILD_DIR")
        build_dir = Path(existing).resolve() if existing else Path(self.build_temp).resolve() / "cmake"
        package_dir = build_dir / "python-pip"
        if not existing:
            build_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                            "-DEARSHOT_BUILD_TESTS=OFF", "-DEARSHOT_BUILD_BENCH=OFF",
                            f"-DEARSHOT_PYTHON={sys.executable}", f"-DEARSHOT_PYTHON_PACKAGE_DIR={package_dir}"], check=True)
        else:
            package_dir = Path(subprocess.run(["cmake", "-L", "-N", str(build_dir)], check=True, capture_output=True, text=True)
                               .stdout.split("EARSHOT_PYTHON_PACKAGE_DIR:PATH=")[1].splitlines()[0])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "earshot_python", "-j", jobs], check=True)
        built = list((package_dir / "earshot").glob("_earshot*.so"))
        if len(built) != 1:
            raise RuntimeError(f"CMake built no single earshot/_earshot*.so in {package_dir} (is python3-dev/pybind11-dev installed?)")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


# setuptools' own scratch (build/lib..., egg-info) goes under the CMake build folder, not beside
# the sources.
SCRATCH = Path(os.environ.get("EARSHOT_BUILD_DIR") or ROOT / "build").resolve() / "pip-setuptools"
SCRATCH.mkdir(parents=True, exist_ok=True)

setup(
    options={"build": {"build_base": str(SCRATCH)}, "egg_info": {"egg_base": str(SCRATCH)}},
    name="earshot",
    version=project_version(),
    description="Renders what a listener hears: hearing loss, cochlear implants, scenes; STOI, ESTOI and SII",
    license="see LICENSE",
    python_requires=">=3.9",
    install_requires=["numpy"],
    packages=["earshot"],
    package_dir={"earshot": "bindings/python/earshot"},
    package_data={"earshot": ["py.typed", "__init__.pyi"]},
    ext_modules=[CMakeExtension("earshot._earshot")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
