#include "implant/electrodogram.hpp"

#include <algorithm>

#include "implant/implant_sound_processor.hpp"

namespace earshot {

std::vector<ElectrodogramPulse> electrodogram(std::shared_ptr<const ImplantPlan> plan, const std::vector<float>& samples) {
  ImplantSoundProcessor processor;
  processor.prepare(plan);
  const ImplantPlan& p = *plan;
  std::vector<ElectrodogramPulse> pulses;
  // Run on past the end by the analysis delay so the last sounds are analysed too.
  const std::size_t total = samples.size() + static_cast<std::size_t>(p.analysis_delay_frames);
  const std::vector<float> silence(static_cast<std::size_t>(processor.frames_to_next_frame()) + 2, 0.0f);
  for (std::size_t done = 0; done < total;) {
    const int n = static_cast<int>(std::min<std::size_t>(processor.frames_to_next_frame(), total - done));
    if (done + n <= samples.size()) {
      processor.push(samples.data() + done, n);
    } else {
      const int real = static_cast<int>(samples.size() > done ? samples.size() - done : 0);
      if (real > 0) processor.push(samples.data() + done, real);
      processor.push(silence.data(), n - real);
    }
    done += n;
    if (processor.frames_to_next_frame() != 0) continue;
    const StimulationFrame& frame = processor.analyse();
    for (int i = 0; i < frame.pulse_count; ++i) {
      const StimulationPulse& s = frame.pulses[i];
      const double t = (frame.time_frames + s.offset_frames) / p.sample_rate_hz;
      if (t < 0.0 || t * p.sample_rate_hz >= samples.size()) continue;
      pulses.push_back({t, s.electrode, p.electrodes[s.electrode].number, s.current_ua});
    }
  }
  return pulses;
}

}  // namespace earshot
