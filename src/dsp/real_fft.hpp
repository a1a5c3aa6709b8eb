#pragma once
// The FFT seam: every FFT in earshot is a real FFT of one size with its own aligned buffers,
// single (RealFft) or double precision (RealFftDouble), and this header and real_fft.cpp are the
// only places that know the FFT library. Today that is FFTW 3, planned with FFTW_ESTIMATE: the same
// plan every run, so the same input gives the same output bytes. To use another FFT (a permissively
// licensed one, say), rewrite real_fft.cpp alone: the callers see sizes, buffers and two transforms.
//
// Conventions (the callers rely on them): unnormalised, as FFTW is, so inverse(forward(x)) is n
// times x; forward maps time() (size() samples) to spectrum() (size() / 2 + 1 bins, each {re, im},
// e^{-2 pi i k t / n}); inverse maps spectrum() back to time() and may overwrite spectrum().
//
// Threads: FFTW's planner is not thread-safe, so construction and destruction (planning and freeing
// plans) take one process-wide mutex; any number of threads may build RealFfts at once. Construction
// allocates, plans and may block; forward() and inverse() never allocate, lock or throw, and two
// RealFfts may transform on two threads at the same time.
#include <type_traits>

namespace earshot {

template <typename Sample>
class BasicRealFft {
  static_assert(std::is_same_v<Sample, float> || std::is_same_v<Sample, double>);

 public:
  using Bin = Sample[2];  // {real, imaginary}: the layout of FFTW's complex and of std::complex

  explicit BasicRealFft(int size);
  ~BasicRealFft();
  BasicRealFft(const BasicRealFft&) = delete;
  BasicRealFft& operator=(const BasicRealFft&) = delete;

  int size() const noexcept { return n_; }
  Sample* time() noexcept { return time_; }   // size() samples
  Bin* spectrum() noexcept { return spec_; }  // size() / 2 + 1 bins
  void forward() noexcept;
  void inverse() noexcept;

 private:
  int n_ = 0;
  Sample* time_ = nullptr;
  Bin* spec_ = nullptr;
  void* forward_ = nullptr;  // the library's plans, opaque here
  void* inverse_ = nullptr;
};

// A forward complex FFT of one size, single precision, out of place: input() (size() values, each
// {re, im}) to output() (size() bins, e^{-2 pi i k t / n}, unnormalised as FFTW is). Why it is
// here: a real FFT of even size 2 m can be done as the complex FFT of m whose real and imaginary
// parts are the even and odd samples, then one split pass (Brigham 1988, ch. 9.3); for the ACE
// analysis' n = 360 at 44.1 kHz, FFTW_ESTIMATE plans its real FFT poorly (about 8800 instructions)
// but the complex FFT of 180 well (about 4500: the plan FFTW_PATIENT finds for the real one).
// Built with Direction::inverse, the same transform with e^{+2 pi i k t / n} (run by inverse()):
// dsp/block_convolver.cpp's pairs of filters, two real signals' spectra packed as one complex
// spectrum (Brigham 1988, ch. 9.3). Out of place, FFTW_ESTIMATE's plan of the complex inverse is
// cheaper than in place (at n = 384: about 3600 instructions against 6200).
// Construction allocates and plans (under the planner mutex, as RealFft); forward() and inverse()
// never allocate, lock or throw.
class ComplexFft {
 public:
  using Bin = float[2];
  enum class Direction { forward, inverse };

  explicit ComplexFft(int size, Direction direction = Direction::forward);
  ~ComplexFft();
  ComplexFft(const ComplexFft&) = delete;
  ComplexFft& operator=(const ComplexFft&) = delete;

  int size() const noexcept { return n_; }
  Bin* input() noexcept { return in_; }
  const Bin* output() const noexcept { return out_; }
  void forward() noexcept;  // built with Direction::forward
  void inverse() noexcept;  // built with Direction::inverse

 private:
  int n_ = 0;
  Bin* in_ = nullptr;
  Bin* out_ = nullptr;
  void* plan_ = nullptr;
};

using RealFft = BasicRealFft<float>;
using RealFftDouble = BasicRealFft<double>;

extern template class BasicRealFft<float>;
extern template class BasicRealFft<double>;

}  // namespace earshot
