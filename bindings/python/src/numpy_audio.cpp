#include "numpy_audio.hpp"

#include <cstring>

namespace earshot::python {

namespace {

template <class T>
void copy_planar(const py::array& a, PlanarAudio& out) {
  const auto frames = a.ndim() == 1 ? a.shape(0) : a.shape(0);
  const auto channels = a.ndim() == 1 ? 1 : a.shape(1);
  const auto* base = static_cast<const char*>(a.data());
  const auto frame_stride = a.strides(0);
  const auto channel_stride = a.ndim() == 1 ? 0 : a.strides(1);
  out.channels.assign(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(frames)));
  for (py::ssize_t c = 0; c < channels; ++c) {
    float* dst = out.channels[static_cast<std::size_t>(c)].data();
    for (py::ssize_t i = 0; i < frames; ++i) {
      T v;
      std::memcpy(&v, base + i * frame_stride + c * channel_stride, sizeof(T));  // any alignment, any order
      dst[i] = static_cast<float>(v);
    }
  }
}

}  // namespace

PlanarAudio planar_from_numpy(const py::handle& object, const std::string& argument) {
  if (!py::isinstance<py::array>(object)) {
    throw py::value_error(argument + ": must be a numpy array (1-D mono, or frames x channels), not " +
                          std::string(py::str(py::type::handle_of(object).attr("__name__"))));
  }
  const auto a = py::reinterpret_borrow<py::array>(object);
  if (a.ndim() != 1 && a.ndim() != 2) {
    throw py::value_error(argument + ": a " + std::to_string(a.ndim()) + "-D array: give 1-D (mono) or 2-D (frames x channels)");
  }
  PlanarAudio out;
  out.one_dimensional = a.ndim() == 1;
  if (a.dtype().equal(py::dtype::of<float>())) {
    copy_planar<float>(a, out);
  } else if (a.dtype().equal(py::dtype::of<double>())) {
    out.float64 = true;
    copy_planar<double>(a, out);
  } else {
    throw py::value_error(argument + ": dtype " + std::string(py::str(a.dtype())) + ": give float32 or float64 samples");
  }
  return out;
}

py::array numpy_from_planar(const std::vector<std::vector<float>>& channels, bool float64, bool one_dimensional) {
  const auto count = static_cast<py::ssize_t>(channels.size());
  const auto frames = static_cast<py::ssize_t>(channels.empty() ? 0 : channels.front().size());
  auto fill = [&](auto tag) {
    using T = decltype(tag);
    py::array_t<T> out = one_dimensional && count == 1 ? py::array_t<T>({frames}) : py::array_t<T>({frames, count});
    T* dst = out.mutable_data();
    for (py::ssize_t i = 0; i < frames; ++i) {
      for (py::ssize_t c = 0; c < count; ++c) dst[i * count + c] = static_cast<T>(channels[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)]);
    }
    return py::array(out);
  };
  return float64 ? fill(double{}) : fill(float{});
}

}  // namespace earshot::python
