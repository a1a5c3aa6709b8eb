#include "clap_host.hpp"

#include <dlfcn.h>

#include <cstring>

#include <clap/entry.h>
#include <clap/events.h>
#include <clap/ext/latency.h>
#include <clap/ext/params.h>
#include <clap/host.h>
#include <clap/plugin-factory.h>
#include <clap/plugin.h>
#include <clap/process.h>

namespace earshot::test {

struct ClapHost::Impl {
  void* library = nullptr;
  const clap_plugin_entry_t* entry = nullptr;
  const clap_plugin_t* plugin = nullptr;
  clap_host_t host{};
  bool activated = false, processing = false;
  std::vector<clap_event_param_value_t> pending;  // reserved: set() never allocates
  std::int64_t steady_time = 0;
};

namespace {

void no_request(const clap_host_t*) {}
void no_rescan(const clap_host_t*, clap_param_rescan_flags) {}
void no_clear(const clap_host_t*, clap_id, clap_param_clear_flags) {}
// DPF's wrapper calls the host's latency and params extensions without checking that the host
// has them: a host that offers none crashes it in deactivate. This host takes note of nothing
// (it asks for the latency itself) but offers both.
const clap_host_latency_t kHostLatency{no_request};
const clap_host_params_t kHostParams{no_rescan, no_clear, no_request};
const void* host_extension(const clap_host_t*, const char* id) {
  if (std::strcmp(id, CLAP_EXT_LATENCY) == 0) return &kHostLatency;
  if (std::strcmp(id, CLAP_EXT_PARAMS) == 0) return &kHostParams;
  return nullptr;
}

uint32_t events_size(const clap_input_events_t* list) {
  return static_cast<uint32_t>(static_cast<const ClapHost::Impl*>(list->ctx)->pending.size());
}
const clap_event_header_t* events_get(const clap_input_events_t* list, uint32_t index) {
  return &static_cast<const ClapHost::Impl*>(list->ctx)->pending[index].header;
}
bool events_push(const clap_output_events_t*, const clap_event_header_t*) { return true; }

}  // namespace

ClapHost::ClapHost(const std::string& clap_path, double sample_rate_hz, int max_block_frames,
                   const std::map<std::string, double>& before_activation)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.pending.reserve(256);
  m.library = dlopen(clap_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!m.library) {
    error_ = std::string("dlopen: ") + dlerror();
    return;
  }
  m.entry = static_cast<const clap_plugin_entry_t*>(dlsym(m.library, "clap_entry"));
  if (!m.entry || !m.entry->init(clap_path.c_str())) {
    error_ = "no clap_entry, or its init failed";
    return;
  }
  auto* factory = static_cast<const clap_plugin_factory_t*>(m.entry->get_factory(CLAP_PLUGIN_FACTORY_ID));
  if (!factory || factory->get_plugin_count(factory) < 1) {
    error_ = "no plugin factory or no plugin";
    return;
  }
  const clap_plugin_descriptor_t* desc = factory->get_plugin_descriptor(factory, 0);
  m.host.clap_version = CLAP_VERSION;
  m.host.host_data = &m;
  m.host.name = "earshot test host";
  m.host.vendor = "earshot";
  m.host.url = "";
  m.host.version = "0";
  m.host.get_extension = host_extension;
  m.host.request_restart = no_request;
  m.host.request_process = no_request;
  m.host.request_callback = no_request;
  m.plugin = factory->create_plugin(factory, &m.host, desc->id);
  if (!m.plugin || !m.plugin->init(m.plugin)) {
    error_ = "create_plugin or init failed";
    return;
  }
  if (auto* params = static_cast<const clap_plugin_params_t*>(m.plugin->get_extension(m.plugin, CLAP_EXT_PARAMS))) {
    for (uint32_t i = 0; i < params->count(m.plugin); ++i) {
      clap_param_info_t info{};
      if (params->get_info(m.plugin, i, &info)) parameters_[info.name] = info.id;
    }
    if (!before_activation.empty()) {
      for (const auto& [name, value] : before_activation) {
        if (!set(name, value)) {
          error_ = "no parameter named '" + name + "'";
          return;
        }
      }
      clap_input_events_t in_events{&m, events_size, events_get};
      clap_output_events_t out_events{&m, events_push};
      params->flush(m.plugin, &in_events, &out_events);
      m.pending.clear();
    }
  }
  if (!m.plugin->activate(m.plugin, sample_rate_hz, 1, static_cast<uint32_t>(max_block_frames))) {
    error_ = "activate failed";
    return;
  }
  m.activated = true;
  if (!m.plugin->start_processing(m.plugin)) {
    error_ = "start_processing failed";
    return;
  }
  m.processing = true;
}

ClapHost::~ClapHost() {
  Impl& m = *impl_;
  if (m.plugin) {
    if (m.processing) m.plugin->stop_processing(m.plugin);
    if (m.activated) m.plugin->deactivate(m.plugin);
    m.plugin->destroy(m.plugin);
  }
  if (m.entry) m.entry->deinit();
  if (m.library) dlclose(m.library);
}

std::string ClapHost::plugin_id() const { return impl_->plugin ? impl_->plugin->desc->id : ""; }

int ClapHost::latency_frames() const {
  const Impl& m = *impl_;
  auto* latency = static_cast<const clap_plugin_latency_t*>(m.plugin->get_extension(m.plugin, CLAP_EXT_LATENCY));
  return latency ? static_cast<int>(latency->get(m.plugin)) : -1;
}

bool ClapHost::set(const std::string& name, double value) {
  auto it = parameters_.find(name);
  if (it == parameters_.end() || impl_->pending.size() == impl_->pending.capacity()) return false;
  clap_event_param_value_t e{};
  e.header.size = sizeof(e);
  e.header.time = 0;
  e.header.space_id = CLAP_CORE_EVENT_SPACE_ID;
  e.header.type = CLAP_EVENT_PARAM_VALUE;
  e.header.flags = 0;
  e.param_id = it->second;
  e.cookie = nullptr;
  e.note_id = -1;
  e.port_index = -1;
  e.channel = -1;
  e.key = -1;
  e.value = value;
  impl_->pending.push_back(e);
  return true;
}

bool ClapHost::process(const float* const* in, float* const* out, int frames) {
  Impl& m = *impl_;
  clap_audio_buffer_t input{};
  input.data32 = const_cast<float**>(in);
  input.channel_count = 2;
  clap_audio_buffer_t output{};
  output.data32 = const_cast<float**>(out);
  output.channel_count = 2;
  clap_input_events_t in_events{&m, events_size, events_get};
  clap_output_events_t out_events{&m, events_push};
  clap_process_t p{};
  p.steady_time = m.steady_time;
  p.frames_count = static_cast<uint32_t>(frames);
  p.audio_inputs = &input;
  p.audio_outputs = &output;
  p.audio_inputs_count = 1;
  p.audio_outputs_count = 1;
  p.in_events = &in_events;
  p.out_events = &out_events;
  const clap_process_status status = m.plugin->process(m.plugin, &p);
  m.pending.clear();
  m.steady_time += frames;
  return status != CLAP_PROCESS_ERROR;
}

}  // namespace earshot::test
