#pragma once
// `earshot live --listener SPEC [--connect PORT...]`: a JACK client that plays what the listener
// hears of its two input ports (left ear, right ear; one --connect port feeds both) on its two
// output ports, in real time, through the library's LiveEngine (engine/live_engine.hpp). It
// prints its latency in ms; a listener typed on stdin (any --listener text) replaces the current
// one with a click-free move; Ctrl-C (SIGINT) or SIGTERM stops it cleanly, printing the xruns
// JACK reported.
#include <string>
#include <vector>

namespace earshot::cli {

struct LiveRequest {
  std::string listener;                 // --listener text (preset, audiogram, device, left=...,right=..., .toml)
  std::vector<std::string> connect;     // ports to connect to the inputs: one (both ears) or two (left, right)
  double calibration_db_spl = 100.0;    // a digital RMS of 1.0 is this many dB SPL (live input has no level to measure first)
  double move_s = 1.0;                  // how long a listener change takes
  std::string client_name = "earshot";
  bool connect_outputs = true;          // to the system's playback ports, when there are any
};

// Runs until SIGINT or SIGTERM. Throws CliError: kExitUsage (listener, calibration, move, ports),
// kExitMissingTool (no JACK server running). Returns kExitOk after a clean stop.
int run_live(const LiveRequest& request);

}  // namespace earshot::cli
