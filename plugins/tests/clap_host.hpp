#pragma once
// A small CLAP host of the project's own, for tests and the bench: it loads a .clap binary with
// dlopen, instantiates its first plugin, finds parameters by name, reads the latency, and
// processes stereo float blocks with parameter changes at the block's first frame. Written
// against the CLAP headers that Debian's dpf-source ships (clap 1.x ABI).
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace earshot::test {

class ClapHost {
 public:
  // Loads and activates at this rate and largest block; error() says why not. `before_activation`:
  // parameter values by name given to the plugin (params flush) before it activates, as a host
  // restores a saved project, so the plugin designs for them at activation.
  ClapHost(const std::string& clap_path, double sample_rate_hz, int max_block_frames,
           const std::map<std::string, double>& before_activation = {});
  ~ClapHost();
  ClapHost(const ClapHost&) = delete;
  ClapHost& operator=(const ClapHost&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::string plugin_id() const;
  int latency_frames() const;
  // Parameter ids by the parameter's name as the plugin gives it (CLAP carries no symbols).
  const std::map<std::string, unsigned>& parameters() const { return parameters_; }
  // Queue a value for the next process() call (applied at its first frame).
  bool set(const std::string& name, double value);
  // One block (frames <= max_block_frames). in/out: two channels each. Never allocates once the
  // queue of pending changes has been reserved (set() only writes into a reserved vector).
  bool process(const float* const* in, float* const* out, int frames);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::map<std::string, unsigned> parameters_;
  std::string error_;
};

}  // namespace earshot::test
