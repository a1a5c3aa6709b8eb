#include "dsp/real_fft.hpp"

namespace earshot {

RealFft::RealFft(int size) : n_(size) {
  time_ = fftwf_alloc_real(n_);
  spec_ = fftwf_alloc_complex(n_ / 2 + 1);
  forward_ = fftwf_plan_dft_r2c_1d(n_, time_, spec_, FFTW_ESTIMATE);
  inverse_ = fftwf_plan_dft_c2r_1d(n_, spec_, time_, FFTW_ESTIMATE);
}

RealFft::~RealFft() {
  fftwf_destroy_plan(forward_);
  fftwf_destroy_plan(inverse_);
  fftwf_free(time_);
  fftwf_free(spec_);
}

}  // namespace earshot
