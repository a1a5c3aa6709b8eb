// Scene files (.toml, formats/scene_file.hpp): read, then design and render 50 ms of the scene at
// 8 kHz over a quiet tone, as the CLI does: the tone is an input at 16 kHz, resampled and mixed
// block by block (scene/scene_inputs.hpp) as the renderer pulls it.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "formats/scene_file.hpp"
#include "fuzz_support.hpp"
#include "scene/scene_design.hpp"
#include "scene/scene_inputs.hpp"
#include "scene/scene_renderer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto scene = earshot::read_scene_file(earshot::fuzz::scratch_file(".toml", data, size));
  if (!scene) return 0;
  earshot::SceneSpec spec = scene.value().spec;
  spec.sample_rate_hz = 8000.0;
  spec.duration_s = 0.05;
  spec.calibration_db_spl = scene.value().calibration_db_spl.value_or(100.0);
  auto plan = earshot::design_scene(spec);
  if (!plan) return 0;
  auto shared = std::make_shared<const earshot::ScenePlan>(std::move(plan).value());
  std::vector<float> tone(static_cast<std::size_t>(2 * shared->frames));
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = 0.1f * static_cast<float>(std::sin(0.25 * static_cast<double>(i)));
  const earshot::SceneTimeline timeline{spec.sample_rate_hz, spec.duration_s, shared->frames};
  earshot::SceneInputMix mix(timeline);
  mix.add(std::make_unique<earshot::SceneInputSamples>(std::vector<std::vector<float>>{tone}, 16000.0), 0.0, 0.0);
  earshot::render_scene(
      shared, [&](const std::array<float*, 2>& ears, int n) { mix.read(ears, n); }, true,
      [](const earshot::SceneOutputs&, int) {});
  return 0;
}
