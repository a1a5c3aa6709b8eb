#include "lv2_host.hpp"

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/options/options.h>
#include <lv2/urid/urid.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

namespace earshot::test {

namespace {

struct UridMap {
  std::map<std::string, LV2_URID> ids;
  static LV2_URID map(LV2_URID_Map_Handle handle, const char* uri) {
    auto& ids = static_cast<UridMap*>(handle)->ids;
    auto [it, added] = ids.emplace(uri, static_cast<LV2_URID>(ids.size() + 1));
    return it->second;
  }
};

}  // namespace

Lv2Run run_lv2(const std::string& bundle_dir, const std::string& uri, const std::vector<float>& input,
               double sample_rate_hz, const std::map<std::string, double>& controls, int block) {
  Lv2Run run;
  std::unique_ptr<LilvWorld, decltype(&lilv_world_free)> world(lilv_world_new(), lilv_world_free);
  const std::string bundle_uri = "file://" + bundle_dir + (bundle_dir.ends_with('/') ? "" : "/");
  LilvNode* bundle = lilv_new_uri(world.get(), bundle_uri.c_str());
  lilv_world_load_bundle(world.get(), bundle);
  lilv_node_free(bundle);
  LilvNode* plugin_uri = lilv_new_uri(world.get(), uri.c_str());
  const LilvPlugin* plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world.get()), plugin_uri);
  lilv_node_free(plugin_uri);
  if (!plugin) {
    run.error = "no plugin " + uri + " in " + bundle_dir;
    return run;
  }

  UridMap ids;
  LV2_URID_Map map{&ids, UridMap::map};
  const std::int32_t block_length = block;
  const LV2_Options_Option options[] = {
      {LV2_OPTIONS_INSTANCE, 0, UridMap::map(&ids, LV2_BUF_SIZE__maxBlockLength), sizeof(std::int32_t),
       UridMap::map(&ids, LV2_ATOM__Int), &block_length},
      {LV2_OPTIONS_INSTANCE, 0, UridMap::map(&ids, LV2_BUF_SIZE__nominalBlockLength), sizeof(std::int32_t),
       UridMap::map(&ids, LV2_ATOM__Int), &block_length},
      {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr}};
  const LV2_Feature map_feature{LV2_URID__map, &map};
  const LV2_Feature options_feature{LV2_OPTIONS__options, const_cast<LV2_Options_Option*>(options)};
  const LV2_Feature bounded_feature{LV2_BUF_SIZE__boundedBlockLength, nullptr};
  const LV2_Feature* features[] = {&map_feature, &options_feature, &bounded_feature, nullptr};
  LilvInstance* instance = lilv_plugin_instantiate(plugin, sample_rate_hz, features);
  if (!instance) {
    run.error = "instantiate failed";
    return run;
  }

  LilvNode* audio_class = lilv_new_uri(world.get(), LV2_CORE__AudioPort);
  LilvNode* control_class = lilv_new_uri(world.get(), LV2_CORE__ControlPort);
  LilvNode* input_class = lilv_new_uri(world.get(), LV2_CORE__InputPort);
  const std::uint32_t ports = lilv_plugin_get_num_ports(plugin);
  std::vector<float> control_values(ports, 0.0f);
  std::array<std::vector<float>, 2> in_buffers, out_buffers;
  for (auto& b : in_buffers) b.assign(block, 0.0f);
  for (auto& b : out_buffers) b.assign(block, 0.0f);
  int audio_in = 0, audio_out = 0;
  for (std::uint32_t i = 0; i < ports; ++i) {
    const LilvPort* port = lilv_plugin_get_port_by_index(plugin, i);
    const bool is_input = lilv_port_is_a(plugin, port, input_class);
    if (lilv_port_is_a(plugin, port, audio_class)) {
      float* data = is_input ? (audio_in < 2 ? in_buffers[audio_in++].data() : nullptr)
                             : (audio_out < 2 ? out_buffers[audio_out++].data() : nullptr);
      lilv_instance_connect_port(instance, i, data);
    } else if (lilv_port_is_a(plugin, port, control_class)) {
      LilvNode* def = nullptr;
      lilv_port_get_range(plugin, port, &def, nullptr, nullptr);
      control_values[i] = def ? lilv_node_as_float(def) : 0.0f;
      lilv_node_free(def);
      const std::string symbol = lilv_node_as_string(lilv_port_get_symbol(plugin, port));
      if (auto it = controls.find(symbol); is_input && it != controls.end()) control_values[i] = float(it->second);
      lilv_instance_connect_port(instance, i, &control_values[i]);
    } else {
      lilv_instance_connect_port(instance, i, nullptr);
    }
  }
  lilv_node_free(audio_class);
  lilv_node_free(control_class);
  lilv_node_free(input_class);
  const bool has_latency = lilv_plugin_has_latency(plugin);
  const std::uint32_t latency_port = has_latency ? lilv_plugin_get_latency_port_index(plugin) : 0;

  lilv_instance_activate(instance);
  for (auto& c : run.out) c.assign(input.size(), 0.0f);
  for (std::size_t start = 0; start < input.size(); start += block) {
    const std::size_t n = std::min<std::size_t>(block, input.size() - start);
    for (auto& b : in_buffers) std::copy(input.begin() + start, input.begin() + start + n, b.begin());
    lilv_instance_run(instance, static_cast<std::uint32_t>(n));
    for (int c = 0; c < 2; ++c) std::copy(out_buffers[c].begin(), out_buffers[c].begin() + n, run.out[c].begin() + start);
    if (start == 0 && has_latency) run.latency_frames = static_cast<int>(std::lround(control_values[latency_port]));
  }
  lilv_instance_deactivate(instance);
  lilv_instance_free(instance);
  run.ok = audio_in == 2 && audio_out == 2;
  if (!run.ok) run.error = "the plugin has not two audio inputs and two outputs";
  return run;
}

}  // namespace earshot::test
