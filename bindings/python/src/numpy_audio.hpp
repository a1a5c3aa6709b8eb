#pragma once
// Audio between numpy and the library: a 1-D array is mono, a 2-D array is frames x channels;
// float32 or float64 in any memory order (strides are followed, nothing is assumed contiguous).
// The library works in float32 planar channels; results go back in the input's dtype, so a
// float64 caller gets float64 (holding the library's float32 values exactly).
//
// Only the array's shape and dtype are checked here (they are Python's business); the samples
// themselves (NaN, empty, channel count, rate) are checked by the library
// (engine/input_check.hpp), whose errors become ValueError naming the field.
#include <pybind11/numpy.h>

#include <string>
#include <vector>

namespace earshot::python {

namespace py = pybind11;

struct PlanarAudio {
  std::vector<std::vector<float>> channels;
  bool float64 = false;    // the caller's dtype
  bool one_dimensional = false;
};

// Raises ValueError naming `argument` for anything but a 1-D or 2-D float32/float64 array.
PlanarAudio planar_from_numpy(const py::handle& array, const std::string& argument);

// frames x channels (or 1-D when `one_dimensional` and one channel), in float32 or float64.
py::array numpy_from_planar(const std::vector<std::vector<float>>& channels, bool float64, bool one_dimensional);

}  // namespace earshot::python
