#pragma once
// `earshot live --listener SPEC [--connect PORT...]`: a JACK client that plays what the listener
// hears of its two input ports (left ear, right ear; one --connect port feeds both) on its two
// output ports, in real time, through the library's LiveEngine (engine/live_engine.hpp). It
// prints its latency in ms; a listener typed on stdin (any --listener text) replaces the current
// one with a click-free move (`aid SPEC` or `aid none` typed there changes the hearing aid);
// Ctrl-C (SIGINT) or SIGTERM stops it cleanly, printing the xruns
// JACK reported.
//
// `earshot live --scene FILE` plays a scene (docs/scenes.md) against the same input ports instead,
// through the library's SceneRenderer: designed at the server's rate before the client activates,
// its timeline starting when the client does, its final state held after its last moment until
// stopped. The live input replaces the file's [[input]]s, which are not read.
#include <optional>
#include <string>
#include <vector>

namespace earshot::cli {

struct LiveRequest {
  std::string listener;                 // --listener text (preset, audiogram, device, left=...,right=..., .toml)
  std::string scene;                    // --scene file (instead of a listener)
  std::vector<std::string> connect;     // ports to connect to the inputs: one (both ears) or two (left, right)
  // A digital RMS of 1.0 is this many dB SPL (live input has no level to measure first). Unset:
  // a scene's own calibration_db_spl if it has one, else kDefaultLiveCalibrationDbSpl.
  std::optional<double> calibration_db_spl;
  std::optional<double> move_s;         // how long a listener change takes (--listener only; default 1 s)
  // --aid, as render takes it ("nal-r,wdrc"; "none": unaided for now): on the listener and on every
  // listener typed after it, with room in the latency for any aid typed later (--listener only).
  std::string aid;
  std::string client_name = "earshot";
  bool connect_outputs = true;          // to the system's playback ports, when there are any
};

inline constexpr double kDefaultLiveCalibrationDbSpl = 100.0;

// Runs until SIGINT or SIGTERM. Throws CliError: kExitUsage (listener or scene, calibration, move, ports),
// kExitMissingTool (no JACK server running). Returns kExitOk after a clean stop.
int run_live(const LiveRequest& request);

}  // namespace earshot::cli
