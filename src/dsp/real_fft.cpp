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
  static void destroy(plan p) { fftwf_destroy_plan(p); }
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
  static void destroy(plan p) { fftw_destroy_plan(p); }
  static void r2c(plan p, double* in, complex* out) { fftw_execute_dft_r2c(p, in, out); }
  static void c2r(plan p, complex* in, double* out) { fftw_execute_dft_c2r(p, in, out); }
};

static_assert(sizeof(Fftw<float>::complex) == sizeof(RealFft::Bin));
static_assert(sizeof(Fftw<double>::complex) == sizeof(RealFftDouble::Bin));

}  // namespace

template <typename Sample>
BasicRealFft<Sample>::BasicRealFft(int size) : n_(size) {
  using F = Fftw<Sample>;
  time_ = F::alloc_real(n_);
  auto* spec = F::alloc_complex(n_ / 2 + 1);
  spec_ = reinterpret_cast<Bin*>(spec);
  if (!time_ || !spec) {
    F::free(time_);
    F::free(spec);
    throw std::bad_alloc();
  }
  std::lock_guard lock(planner_mutex());
  forward_ = F::r2c(n_, time_, spec);
  inverse_ = F::c2r(n_, spec, time_);
}

template <typename Sample>
BasicRealFft<Sample>::~BasicRealFft() {
  using F = Fftw<Sample>;
  {
    std::lock_guard lock(planner_mutex());
    if (forward_) F::destroy(static_cast<typename F::plan>(forward_));
    if (inverse_) F::destroy(static_cast<typename F::plan>(inverse_));
  }
  F::free(time_);
  F::free(spec_);
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
