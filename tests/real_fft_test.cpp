// The FFT seam (dsp/real_fft.hpp): the transform is the DFT in the documented convention, and
// building and destroying FFTs on several threads at once (FFTW's planner is not thread-safe; the
// seam serialises it) gives the same bytes as on one thread.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

#include "dsp/real_fft.hpp"

namespace earshot::test {
namespace {

TEST(RealFft, ForwardIsTheDftAndInverseIsNTimesTheInput) {
  for (int n : {8, 12, 30, 64}) {
    RealFftDouble fft(n);
    std::vector<double> x(n);
    for (int i = 0; i < n; ++i) x[i] = fft.time()[i] = std::sin(0.7 * i) + 0.25 * (i % 3);
    fft.forward();
    for (int k = 0; k <= n / 2; ++k) {
      double re = 0.0, im = 0.0;
      for (int i = 0; i < n; ++i) {
        re += x[i] * std::cos(2.0 * std::numbers::pi * k * i / n);
        im -= x[i] * std::sin(2.0 * std::numbers::pi * k * i / n);
      }
      EXPECT_NEAR(fft.spectrum()[k][0], re, 1e-9) << n << " bin " << k;
      EXPECT_NEAR(fft.spectrum()[k][1], im, 1e-9) << n << " bin " << k;
    }
    fft.inverse();
    for (int i = 0; i < n; ++i) EXPECT_NEAR(fft.time()[i], n * x[i], 1e-9);
  }
  RealFft single(16);
  for (int i = 0; i < 16; ++i) single.time()[i] = i == 3 ? 1.0f : 0.0f;  // an impulse at 3: unit magnitude
  single.forward();
  for (int k = 0; k <= 8; ++k) EXPECT_NEAR(std::hypot(single.spectrum()[k][0], single.spectrum()[k][1]), 1.0, 1e-6);
}

// One run's outputs: for each of `rounds` FFTs (sizes and precisions in turn), the forward
// spectrum and the round trip of a fixed signal, all as doubles.
std::vector<std::vector<double>> plan_and_transform(int rounds, int offset) {
  static constexpr int kSizes[] = {64, 100, 256, 480, 512, 1000, 1024, 2048, 4096, 44100};
  std::vector<std::vector<double>> out;
  for (int r = 0; r < rounds; ++r) {
    const int n = kSizes[(r + offset) % std::size(kSizes)];
    std::vector<double> result;
    auto run = [&](auto& fft) {
      for (int i = 0; i < n; ++i) fft.time()[i] = std::sin(0.01 * i * (1 + r % 7)) + 0.1 * std::cos(0.37 * i);
      fft.forward();
      for (int k = 0; k <= n / 2; ++k) {
        result.push_back(fft.spectrum()[k][0]);
        result.push_back(fft.spectrum()[k][1]);
      }
      fft.inverse();
      for (int i = 0; i < n; ++i) result.push_back(fft.time()[i]);
    };
    if ((r + offset) % 2 == 0) {
      RealFft fft(n);
      run(fft);
    } else {
      RealFftDouble fft(n);
      run(fft);
    }
    out.push_back(std::move(result));
  }
  return out;
}

TEST(RealFft, PlanningOnFourThreadsAtOnceGivesTheSingleThreadBytes) {
  constexpr int kThreads = 4, kRounds = 50;
  std::vector<std::vector<std::vector<double>>> expected, got(kThreads);
  for (int t = 0; t < kThreads; ++t) expected.push_back(plan_and_transform(kRounds, t));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&got, t] { got[t] = plan_and_transform(kRounds, t); });
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), expected[t].size());
    for (int r = 0; r < kRounds; ++r) EXPECT_EQ(got[t][r], expected[t][r]) << "thread " << t << " round " << r;
  }
}

// The complex FFT built for the inverse direction (the block convolver's pairs of filters) is
// forward's inverse: n times the signal back, for even and odd sizes.
TEST(ComplexFft, InverseUndoesForward) {
  for (int n : {8, 15, 180, 384}) {
    ComplexFft forward(n), inverse(n, ComplexFft::Direction::inverse);
    for (int t = 0; t < n; ++t) {
      forward.input()[t][0] = static_cast<float>(std::sin(0.37 * t * t + 1.0));
      forward.input()[t][1] = static_cast<float>(std::cos(1.3 * t) - 0.25 * (t % 3));
    }
    forward.forward();
    for (int k = 0; k < n; ++k) {
      inverse.input()[k][0] = forward.output()[k][0];
      inverse.input()[k][1] = forward.output()[k][1];
    }
    inverse.inverse();
    for (int t = 0; t < n; ++t) {
      EXPECT_NEAR(inverse.output()[t][0] / n, forward.input()[t][0], 2e-6) << n << " re " << t;
      EXPECT_NEAR(inverse.output()[t][1] / n, forward.input()[t][1], 2e-6) << n << " im " << t;
    }
  }
}

}  // namespace
}  // namespace earshot::test
