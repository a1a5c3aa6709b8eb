#include "dsp/real_fft.hpp"

#include <fftw3.h>

#include <mutex>
#include <new>

namespace earshot {
namespace {

// FFTW's planner (and plan destruction) share global state and are not thread-safe; execution is.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

// FFTW's two precisions under one name each.
template <typename Sample>
struct Fftw;

template <>
struct Fftw<float> {
  using plan = fftwf_plan;
  using complex = fftwf_complex;
  static float* alloc_real(int n) { return fftwf_alloc_real(n); }
  static complex* alloc_complex(int n) { return fftwf_alloc_complex(n); }
  static void free(void* p) { fftwf_free(p); }
  static plan r2c(int n, float* in, complex* out) { return fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE); }
  static plan c2r(int n, complex* in, float* out) { return fftwf_plan_dft_c2r_1d(n, in, out, FFTW_ESTIMATE); }
  static plan c2c_backward(int n, complex* in, complex* out) { return fftwf_plan_dft_1d(n, in, out, FFTW_BACKWARD, FFTW_ESTIMATE); }
  static void destroy(plan p) { fftwf_destroy_plan(p); }
  static void c2c(plan p, complex* in, complex* out) { fftwf_execute_dft(p, in, out); }
  static void r2c(plan p, float* in, complex* out) { fftwf_execute_dft_r2c(p, in, out); }
  static void c2r(plan p, complex* in, float* out) { fftwf_execute_dft_c2r(p, in, out); }
};

template <>
struct Fftw<double> {
  using plan = fftw_plan;
  using complex = fftw_complex;
  static double* alloc_real(int n) { return fftw_alloc_real(n); }
  static complex* alloc_complex(int n) { return fftw_alloc_complex(n); }
  static void free(void* p) { fftw_free(p); }
  static plan r2c(int n, double* in, complex* out) { return fftw_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE); }
  static plan c2r(int n, complex* in, double* out) { return fftw_plan_dft_c2r_1d(n, in, out, FFTW_ESTIMATE); }
  static plan c2c_backward(int n, complex* in, complex* out) { return fftw_plan_dft_1d(n, in, out, FFTW_BACKWARD, FFTW_ESTIMATE); }
  static void destroy(plan p) { fftw_destroy_plan(p); }
  static void c2c(plan p, complex* in, complex* out) { fftw_execute_dft(p, in, out); }
  static void r2c(plan p, double* in, complex* out) { fftw_execute_dft_r2c(p, in, out); }
  static void c2r(plan p, complex* in, double* out) { fftw_execute_dft_c2r(p, in, out); }
};

static_assert(sizeof(Fftw<float>::complex) == sizeof(RealFft::Bin));
static_assert(sizeof(Fftw<double>::complex) == sizeof(RealFftDouble::Bin));

}  // namespace

template <typename Sample>
BasicRealFft<Sample>::BasicRealFft(int size, bool pairs) : n_(size) {
  using F = Fftw<Sample>;
  time_ = F::alloc_real(n_);
  auto* spec = F::alloc_complex(n_ / 2 + 1);
  spec_ = reinterpret_cast<Bin*>(spec);
  typename F::complex* pair_spec = pairs ? F::alloc_complex(n_ / 2 + 1) : nullptr;
  typename F::complex* pair_packed = pairs ? F::alloc_complex(n_) : nullptr;
  typename F::complex* pair_time = pairs ? F::alloc_complex(n_) : nullptr;
  pair_spec_ = reinterpret_cast<Bin*>(pair_spec);
  pair_packed_ = reinterpret_cast<Bin*>(pair_packed);
  pair_time_ = reinterpret_cast<Bin*>(pair_time);
  if (!time_ || !spec || (pairs && (!pair_spec || !pair_packed || !pair_time))) {
    F::free(time_);
    F::free(spec);
    F::free(pair_spec);
    F::free(pair_packed);
    F::free(pair_time);
    throw std::bad_alloc();
  }
  std::lock_guard lock(planner_mutex());
  forward_ = F::r2c(n_, time_, spec);
  inverse_ = F::c2r(n_, spec, time_);
  // Out of place: FFTW's in-place complex plans buffer their passes and malloc the buffers on
  // every execution (found by the real-time tests' C allocator trap at 352 points).
  if (pairs) pair_inverse_ = F::c2c_backward(n_, pair_packed, pair_time);
}

template <typename Sample>
BasicRealFft<Sample>::~BasicRealFft() {
  using F = Fftw<Sample>;
  {
    std::lock_guard lock(planner_mutex());
    if (forward_) F::destroy(static_cast<typename F::plan>(forward_));
    if (inverse_) F::destroy(static_cast<typename F::plan>(inverse_));
    if (pair_inverse_) F::destroy(static_cast<typename F::plan>(pair_inverse_));
  }
  F::free(time_);
  F::free(spec_);
  F::free(pair_spec_);
  F::free(pair_packed_);
  F::free(pair_time_);
}

template <typename Sample>
void BasicRealFft<Sample>::forward() noexcept {
  using F = Fftw<Sample>;
  F::r2c(static_cast<typename F::plan>(forward_), time_, reinterpret_cast<typename F::complex*>(spec_));
}

template <typename Sample>
void BasicRealFft<Sample>::inverse() noexcept {
  using F = Fftw<Sample>;
  F::c2r(static_cast<typename F::plan>(inverse_), reinterpret_cast<typename F::complex*>(spec_), time_);
}

template <typename Sample>
void BasicRealFft<Sample>::inverse_pair() noexcept {
  using F = Fftw<Sample>;
  // z = a + j b has Z[k] = A[k] + j B[k]; a and b are real, so A[n - k] = conj A[k] (and B alike).
  const Bin* a = spec_;
  const Bin* b = pair_spec_;
  Bin* z = pair_packed_;
  const int half = n_ / 2;
  z[0][0] = a[0][0];
  z[0][1] = b[0][0];
  for (int k = 1; k < (n_ + 1) / 2; ++k) {
    z[k][0] = a[k][0] - b[k][1];
    z[k][1] = a[k][1] + b[k][0];
    z[n_ - k][0] = a[k][0] + b[k][1];
    z[n_ - k][1] = b[k][0] - a[k][1];
  }
  if (n_ % 2 == 0) {
    z[half][0] = a[half][0];
    z[half][1] = b[half][0];
  }
  F::c2c(static_cast<typename F::plan>(pair_inverse_), reinterpret_cast<typename F::complex*>(pair_packed_),
         reinterpret_cast<typename F::complex*>(pair_time_));
}

ComplexFft::ComplexFft(int size, Direction direction) : n_(size) {
  auto* in = fftwf_alloc_complex(n_);
  auto* out = fftwf_alloc_complex(n_);
  if (!in || !out) {
    fftwf_free(in);
    fftwf_free(out);
    throw std::bad_alloc();
  }
  in_ = reinterpret_cast<Bin*>(in);
  out_ = reinterpret_cast<Bin*>(out);
  std::lock_guard lock(planner_mutex());
  plan_ = fftwf_plan_dft_1d(n_, in, out, direction == Direction::forward ? FFTW_FORWARD : FFTW_BACKWARD, FFTW_ESTIMATE);
}

ComplexFft::~ComplexFft() {
  {
    std::lock_guard lock(planner_mutex());
    if (plan_) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  }
  fftwf_free(in_);
  fftwf_free(out_);
}

void ComplexFft::forward() noexcept {
  fftwf_execute_dft(static_cast<fftwf_plan>(plan_), reinterpret_cast<fftwf_complex*>(in_), reinterpret_cast<fftwf_complex*>(out_));
}

void ComplexFft::inverse() noexcept {
  fftwf_execute_dft(static_cast<fftwf_plan>(plan_), reinterpret_cast<fftwf_complex*>(in_), reinterpret_cast<fftwf_complex*>(out_));
}

template class BasicRealFft<float>;
template class BasicRealFft<double>;

}  // namespace earshot
