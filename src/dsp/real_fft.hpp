#pragma once
// A real FFT of one size with its own aligned buffers (FFTW, single precision). Planned with
// FFTW_ESTIMATE: the same plan every run, so the same input gives the same output bytes.
// Unnormalised, as FFTW is: inverse(forward(x)) is n times x. Construction allocates and plans;
// forward() and inverse() never allocate, lock or throw.
#include <fftw3.h>

namespace earshot {

class RealFft {
 public:
  explicit RealFft(int size);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  int size() const noexcept { return n_; }
  float* time() noexcept { return time_; }               // size() frames
  fftwf_complex* spectrum() noexcept { return spec_; }   // size() / 2 + 1 bins
  void forward() noexcept { fftwf_execute_dft_r2c(forward_, time_, spec_); }
  void inverse() noexcept { fftwf_execute_dft_c2r(inverse_, spec_, time_); }

 private:
  int n_ = 0;
  float* time_ = nullptr;
  fftwf_complex* spec_ = nullptr;
  fftwf_plan forward_ = nullptr, inverse_ = nullptr;
};

}  // namespace earshot
