// `earshot live` under a JACK server with the dummy backend (`jackd -S -d dummy -r 48000 -p 64`,
// Debian's jackd2; synchronous, so every client runs in every cycle, and a late cycle is skipped
// by every client alike): a player client feeds earshot's inputs and a recorder client records
// its outputs in the same cycle, both placed on earshot's timeline by counting cycles from the
// JACK frame earshot prints as its 0 s (TimelineClients). The issue asks for 60 s; CI runs 8 s.
//
// `--listener` (the first test): corpus speech, N3, then N4 typed on stdin. Asserted: the latency
// it prints, the change taken, no click across it (the scene tests' step bound), a clean exit on
// SIGINT, and, before the change, the recording is render_offline of what earshot heard on its
// timeline (the player's silence before its connections, then the speech) after the latency,
// sample for sample (within 1e-4) and band for band (0.5 dB): largest difference 0 and 0.000 dB
// in each of nine runs with 57-80 xruns. Zero xruns is not asserted (jackd alone, with no client,
// has about 6 a second at 64 frames on the loaded machine this was written on).
//
// This test once counted frames in the player and compared with the render of the speech alone,
// from its own first frame: the recording matched until about 0.6 s (where this recording's
// speech starts: before it, about 50 dB SPL, below what N3 passes) and then departed by 3.4-3.7 dB
// in the worst third-octave band, in most runs. The cause is in that alignment, not in the engine:
// the hearing-loss model's STFT (768 frames, hop 192 at 48 kHz) hops from earshot's first frame,
// and the speech reached earshot 768-2624 frames in, on a 64-frame cycle; the engine's output is
// the same for the same input on its own timeline, not for the same input shifted by a number of
// frames that is not a whole number of hops. Measured in the same nine runs (printed, not
// asserted): against the speech's own render, the two runs whose speech started 0 mod 192 frames
// into the timeline matched to the change (3.98 s), the seven at 64 or 128 mod 192 matched for
// 0.595-0.598 s; against the timeline's render, all nine matched throughout. Offline, `earshot
// render -l N3` of the speech after 64, 128 or 1600 zero frames departs from the shifted render of
// the speech alone at 0.595-0.596 s; after 192 or 384 it is the same for all 6.77 s.
//
// `--scene` (the second test) is asserted against `earshot scene` sample for sample over its
// whole 3 s, in the same way: it holds in every run so far, with 16-34 xruns a run.
#include <gtest/gtest.h>

#include <jack/jack.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <complex>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "apps/cli/audio_file.hpp"
#include "metrics/band_levels.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

constexpr double kRate = 48000.0;
constexpr double kSeconds = 8.0;     // audio played; the listener changes at kChangeS
constexpr double kChangeS = 4.0;

pid_t spawn(const std::vector<std::string>& args, int stdin_fd, const std::string& stdout_path) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (stdin_fd >= 0) dup2(stdin_fd, 0);
    if (!stdout_path.empty()) {
      FILE* f = std::fopen(stdout_path.c_str(), "w");
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

bool wait_for(const std::function<bool()>& ready, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The clients of both tests. The player feeds silence until its connections to earshot are in the
// graph, then `signal` (from its start, over again if the run outlasts it); the recorder runs from
// before earshot starts and logs, every cycle, JACK's frame time and the player's position. earshot
// prints the frame time of its first cycle (its timeline's 0 s), so the recording and earshot's
// input are both placed on the timeline by counting cycles from that one (every client runs in
// every cycle under `jackd -S`; a late cycle is skipped by all of them alike).
struct TimelineClients {
  jack_client_t* player = nullptr;
  jack_client_t* recorder = nullptr;
  jack_port_t* out[2]{};
  jack_port_t* in[2]{};
  const std::vector<float>* signal = nullptr;
  std::atomic<std::int64_t> played{0};
  std::atomic<std::int64_t> cycle_pos{-1};  // the player's first frame of this cycle (-1: silence)
  // The recorder's, preallocated: per cycle its frame time and the player's position; the samples.
  std::vector<jack_nframes_t> cycle_time;
  std::vector<std::int64_t> cycle_input;
  std::vector<float> recorded[2];
  std::atomic<std::size_t> cycles{0};
  std::atomic<jack_nframes_t> period{0};

  explicit TimelineClients(double seconds) {
    cycle_time.assign(static_cast<std::size_t>(seconds * 48000 / 16), 0);
    cycle_input.assign(cycle_time.size(), -1);
    for (auto& r : recorded) r.assign(static_cast<std::size_t>(seconds * 48000), 0.0f);
  }
  // Back to before any cycle, for a start tried again (the clients are closed).
  void clear() {
    played.store(0);
    cycle_pos.store(-1);
    cycles.store(0);
    period.store(0);
    std::fill(cycle_time.begin(), cycle_time.end(), 0);
    std::fill(cycle_input.begin(), cycle_input.end(), -1);
    for (auto& r : recorded) std::fill(r.begin(), r.end(), 0.0f);
  }
};

int play_signal(jack_nframes_t n, void* arg) {
  auto* c = static_cast<TimelineClients*>(arg);
  const bool connected = jack_port_connected(c->out[0]) > 0 && jack_port_connected(c->out[1]) > 0;
  const std::int64_t pos = connected ? c->played.load() : -1;
  for (int e = 0; e < 2; ++e) {
    auto* y = static_cast<float*>(jack_port_get_buffer(c->out[e], n));
    for (jack_nframes_t i = 0; i < n; ++i) y[i] = pos >= 0 ? (*c->signal)[static_cast<std::size_t>(pos + i) % c->signal->size()] : 0.0f;
  }
  c->cycle_pos.store(pos);
  if (pos >= 0) c->played.store(pos + n);
  return 0;
}

// Runs after earshot in the same cycle (the graph's order follows the connections), so what it
// records of this cycle is earshot's output for the frames the player gave it in this cycle.
int record_cycles(jack_nframes_t n, void* arg) {
  auto* c = static_cast<TimelineClients*>(arg);
  const std::size_t k = c->cycles.load();
  if ((k + 1) * n > c->recorded[0].size() || k >= c->cycle_time.size()) return 0;
  c->period.store(n);
  c->cycle_time[k] = jack_last_frame_time(c->recorder);
  c->cycle_input[k] = c->cycle_pos.load();
  for (int e = 0; e < 2; ++e) {
    const auto* x = static_cast<const float*>(jack_port_get_buffer(c->in[e], n));
    std::copy(x, x + n, c->recorded[e].begin() + static_cast<std::ptrdiff_t>(k * n));
  }
  c->cycles.store(k + 1);
  return 0;
}

// What a test started is stopped when it returns, after a failed assertion too: its clients
// closed (their callbacks write into the test's buffers), earshot and the test's own jackd
// stopped. The normal path stops each itself and clears it here.
// A failed test prints what jackd and earshot wrote (both logs are in `dir`): a connection
// refused or a port missing is otherwise not told apart from earshot having stopped.
struct JackRun {
  TimelineClients* clients = nullptr;
  pid_t jackd = -1, live = -1;
  std::filesystem::path dir;
  ~JackRun() {
    stop();
    if (::testing::Test::HasFailure() && !dir.empty()) {
      for (const char* name : {"jackd.log", "live.txt"}) {
        std::printf("---- %s ----\n%s\n", name, slurp(dir / name).c_str());
      }
    }
  }
  void stop() {
    if (clients) {
      for (jack_client_t** client : {&clients->recorder, &clients->player}) {
        if (*client) jack_client_close(*client);
        *client = nullptr;
      }
    }
    if (live > 0) {
      kill(live, SIGKILL);
      waitpid(live, nullptr, 0);
    }
    if (jackd > 0) {
      kill(jackd, SIGTERM);
      waitpid(jackd, nullptr, 0);
    }
    live = jackd = -1;
  }
};

// The player's and the recorder's clients, activated before earshot starts (so the recorder sees
// its first cycle), on a server of the test's own (its name in the environment, for every client
// here and earshot).
void open_clients(TimelineClients& c) {
  ASSERT_TRUE(wait_for([&] { return (c.player = jack_client_open("player", JackNoStartServer, nullptr)) != nullptr; }, 20))
      << "jackd did not start";
  c.recorder = jack_client_open("recorder", JackNoStartServer, nullptr);
  ASSERT_NE(c.recorder, nullptr);
  for (int e = 0; e < 2; ++e) {
    c.out[e] = jack_port_register(c.player, e ? "out_right" : "out_left", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
    c.in[e] = jack_port_register(c.recorder, e ? "in_right" : "in_left", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
  }
  jack_set_process_callback(c.player, play_signal, &c);
  jack_set_process_callback(c.recorder, record_cycles, &c);
  ASSERT_EQ(jack_activate(c.player), 0);
  ASSERT_EQ(jack_activate(c.recorder), 0);
}

// earshot -> recorder first, then player -> earshot: once the player sees its connections, the
// graph runs player, earshot, recorder in that order in every cycle.
// False when a connection is refused; those already made stay (EEXIST when asked again).
bool connect_clients(TimelineClients& c) {
  const auto made = [](int result) { return result == 0 || result == EEXIST; };
  for (int e = 0; e < 2; ++e) {
    const std::string side = e ? "right" : "left";
    if (!made(jack_connect(c.recorder, ("earshot:out_" + side).c_str(), ("recorder:in_" + side).c_str()))) return false;
  }
  for (int e = 0; e < 2; ++e) {
    const std::string side = e ? "right" : "left";
    if (!made(jack_connect(c.player, ("player:out_" + side).c_str(), ("earshot:in_" + side).c_str()))) return false;
  }
  return true;
}

// The recorder has recorded the cycle in which the player played frame `frames - 1` (the player
// runs first in a cycle and the recorder last, so the player's count alone runs a cycle ahead).
bool recorded_past(const TimelineClients& c, std::int64_t frames) {
  const std::size_t k = c.cycles.load();
  return k > 0 && c.cycle_input[k - 1] >= 0 && c.cycle_input[k - 1] + std::int64_t(c.period.load()) >= frames;
}

// The test's own jackd (synchronous, the dummy backend, 64-frame periods), the player and the
// recorder, then `earshot live` with `args` (its stdin a pipe whose write end is returned, when
// asked), all connected; logs in `dir`. The server's name is `server` and the attempt's number,
// for every client here and earshot.
//
// JACK2's synchronous server (jackd 1.9.21) on a heavily loaded machine sometimes waits out the
// whole of a cycle's timeout (ten times -t: 50 s) just as a client activates; jackd.log then says
// "JackEngine::ClientActivate wait error", and earshot stops with "JACK could not activate the
// client", as it should. Its ports, registered before it activated, vanish when it exits, so the
// test's connections to them fail (seen in CI, 2026-12-02, and here with strace and a browser test
// beside it). That stall is the server's: the start is tried again from a new server, at most
// three times, and each retry is printed. Any other failure to connect fails the test.
int start_live(TimelineClients& c, JackRun& run, const std::string& server, const std::vector<std::string>& args, bool with_stdin) {
  setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
  std::filesystem::create_directories(run.dir);
  constexpr int kAttempts = 3;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    const std::string name = server + "_" + std::to_string(attempt);
    setenv("JACK_DEFAULT_SERVER", name.c_str(), 1);
    c.clear();
    run.clients = &c;
    run.jackd = spawn({"jackd", "-n", name, "-S", "-t", "5000", "-d", "dummy", "-r", "48000", "-p", "64"}, -1,
                      (run.dir / "jackd.log").string());
    open_clients(c);
    if (::testing::Test::HasFatalFailure()) return -1;
    int to_earshot[2] = {-1, -1};
    if (with_stdin && pipe(to_earshot) != 0) {
      ADD_FAILURE() << "no pipe for earshot's stdin";
      return -1;
    }
    std::vector<std::string> command = {EARSHOT_BINARY, "live"};
    command.insert(command.end(), args.begin(), args.end());
    run.live = spawn(command, to_earshot[0], (run.dir / "live.txt").string());
    if (to_earshot[0] >= 0) close(to_earshot[0]);
    // Connected as soon as earshot has activated (its timeline starts then, and the scene test
    // needs its input early). Its ports exist a moment before (it registers them first), and JACK
    // refuses connections to an inactive client's ports (a race strace made visible), so a refused
    // connection is asked again until they are made or earshot has exited (its activation failed,
    // after jackd's 50 s).
    int status = 0;
    bool exited = false;
    const bool connected = wait_for([&] {
      if (jack_port_by_name(c.player, "earshot:out_right") != nullptr && connect_clients(c)) return true;
      exited = waitpid(run.live, &status, WNOHANG) == run.live;
      return exited;
    }, 120) && !exited;
    if (connected) return to_earshot[1];
    if (exited) run.live = -1;
    const std::string live_log = slurp(run.dir / "live.txt"), jackd_log = slurp(run.dir / "jackd.log");
    const bool server_stalled = live_log.find("JACK could not activate the client") != std::string::npos &&
                                jackd_log.find("ClientActivate wait error") != std::string::npos;
    if (!server_stalled || attempt == kAttempts) {
      ADD_FAILURE() << (exited ? "earshot live stopped before it was connected" : "the connections to earshot were refused for 120 s") << " (attempt " << attempt
                    << (server_stalled ? ", jackd stalled as earshot activated, every time" : "") << ")";
      if (to_earshot[1] >= 0) close(to_earshot[1]);
      return -1;
    }
    std::printf("attempt %d: jackd stalled as earshot activated (jackd.log: ClientActivate wait error); again from a new server\n", attempt);
    run.stop();
    if (to_earshot[1] >= 0) close(to_earshot[1]);
  }
  return -1;
}

// Where earshot says the typed change was taken: its frame on the timeline (-1: not said).
std::int64_t change_taken_frame(const std::string& log) {
  std::smatch m;
  if (!std::regex_search(log, m, std::regex(R"(change taken at [0-9.]+ s on the timeline \(frame ([0-9]+)\))"))) return -1;
  return std::stoll(m[1]);
}

// The recorder's cycle that was earshot's first (at JACK frame `first`): the timeline starts
// there. c.cycles if the recorder saw none.
std::size_t timeline_start(const TimelineClients& c, jack_nframes_t first) {
  const std::size_t cycles = c.cycles.load();
  std::size_t start = cycles;
  for (std::size_t k = 0; k < cycles; ++k) {
    if (c.cycle_time[k] == first) start = k;
  }
  return start;
}

// What earshot heard on its timeline from cycle `start` (length frames; silence where the player
// played none).
std::vector<float> input_on_timeline(const TimelineClients& c, std::size_t start, std::size_t length) {
  const std::size_t cycles = c.cycles.load(), period = c.period.load();
  const std::vector<float>& signal = *c.signal;
  std::vector<float> input(length, 0.0f);
  for (std::size_t k = start; k < cycles && (k - start) * period < input.size(); ++k) {
    if (c.cycle_input[k] < 0) continue;
    for (std::size_t i = 0; i < period && (k - start) * period + i < input.size(); ++i) {
      input[(k - start) * period + i] = signal[static_cast<std::size_t>(c.cycle_input[k] + std::int64_t(i)) % signal.size()];
    }
  }
  return input;
}

TEST(LiveJack, PrintsItsLatencyChangesListenerWithoutAClickAndStopsCleanly) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS not set: live JACK test on corpus speech skipped";
  if (std::system("command -v jackd > /dev/null") != 0) GTEST_SKIP() << "jackd (Debian's jackd2) not installed";
  std::vector<float> speech = read_mono(*corpus / "speech" / "vctk_p286_011_M_en.wav");
  std::vector<float> input(static_cast<std::size_t>(kSeconds * kRate));
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = speech[i % speech.size()];

  const std::string server = "earshot_live_test_" + std::to_string(getpid());
  const auto dir = std::filesystem::temp_directory_path() / server;
  // Room for earshot's start on a loaded machine: the recorder runs from before it. Preparing the
  // live engine takes 1.1-1.3 s of CPU at 48 kHz (it designs every implant preset to bound the
  // latency); with a browser test and four builds beside it, earshot's first cycle came 48 s in.
  TimelineClients c(kSeconds + 120.0);
  c.signal = &input;
  JackRun run{&c, -1, -1, dir};
  const int to_earshot = start_live(c, run, server, {"--listener", "N3", "--calibration", "100"}, true);
  if (HasFailure()) return;
  const pid_t live = run.live, jackd = run.jackd;
  const auto live_log = dir / "live.txt";
  ASSERT_TRUE(wait_for([&] { return c.played.load() >= std::int64_t(kChangeS * kRate); }, 60));
  ASSERT_EQ(write(to_earshot, "N4\n", 3), 3);  // a new listener on stdin
  ASSERT_TRUE(wait_for([&] { return recorded_past(c, std::int64_t(input.size())); }, 60));
  jack_deactivate(c.recorder);
  jack_deactivate(c.player);

  kill(live, SIGINT);
  int status = 0;
  waitpid(live, &status, 0);
  run.live = -1;
  close(to_earshot);
  jack_client_close(c.recorder);
  jack_client_close(c.player);
  c.recorder = c.player = nullptr;
  kill(jackd, SIGTERM);
  waitpid(jackd, nullptr, 0);
  run.jackd = -1;

  const std::string log = slurp(live_log);
  std::printf("earshot live printed:\n%s", log.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a clean exit on SIGINT";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(latency ([0-9.]+) ms \(([0-9]+) frames\))")));
  const auto latency = static_cast<std::size_t>(std::stoul(m[2]));
  EXPECT_NEAR(std::stod(m[1]), 1000.0 * double(latency) / kRate, 0.01);
  EXPECT_NE(log.find("listener: N4"), std::string::npos);
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(0 s is JACK frame ([0-9]+))")));
  const auto first = static_cast<jack_nframes_t>(std::stoull(m[1]));
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(([0-9]+) xruns)")));
  const long xruns = std::stol(m[1]);

  // The recording and earshot's input on its timeline, up to the cycle that played the input's
  // last frame; `change` is the start of the first cycle after the one in which the player passed
  // kChangeS, the earliest N4 (written to stdin only after that) can have been taken.
  const std::size_t cycles = c.cycles.load(), period = c.period.load();
  const std::size_t start = timeline_start(c, first);
  ASSERT_LT(start, cycles) << "the recorder saw no cycle at JACK frame " << first;
  std::size_t change = 0, end = 0, input_from = 0;
  bool input_started = false;
  for (std::size_t k = start; k < cycles; ++k) {
    const std::int64_t pos = c.cycle_input[k];
    if (pos < 0) continue;
    if (!input_started) input_from = (k - start) * period, input_started = true;
    if (change == 0 && pos + std::int64_t(period) >= std::int64_t(kChangeS * kRate)) change = (k + 1 - start) * period;
    if (pos + std::int64_t(period) >= std::int64_t(input.size())) {
      end = (k + 1 - start) * period;
      break;
    }
  }
  ASSERT_GT(end, change) << "the recording does not reach the input's end";
  const std::int64_t taken = change_taken_frame(log);
  std::printf("the input reached earshot %.3f s into its timeline; the change was posted after %.3f s and taken at %.3f s; %ld xruns\n",
              input_from / kRate, change / kRate, double(taken) / kRate, xruns);
  EXPECT_GE(taken, std::int64_t(change)) << "earshot says it took N4 before it was typed (or never says where)";
  const std::vector<float> timeline_input = input_on_timeline(c, start, end);
  std::array<std::vector<float>, 2> heard;
  for (int e = 0; e < 2; ++e) {
    heard[e].assign(c.recorded[e].begin() + static_cast<std::ptrdiff_t>(start * period),
                    c.recorded[e].begin() + static_cast<std::ptrdiff_t>(start * period + end));
  }

  HearingLossParams params;
  params.sample_rate_hz = kRate;
  params.calibration_db_spl = 100.0;
  // Both ears, each with its own seed (smearing's phases), as the live engine renders them.
  auto offline = [&](const char* who, const std::vector<float>& x) {
    EngineSpec spec;
    spec.listener = listener(who);
    spec.hearing = params;
    spec.input_channels = 2;
    spec.output_channels = 2;
    return render_offline(std::make_shared<const EnginePlan>(design_engine(spec).value()), {x, x});
  };
  // Before the change: what it played is the offline render of what it heard on its timeline,
  // sample for sample, after the latency (1e-4 a margin: the same engine on the same samples in
  // other blocks), and band for band (the LV2 test's 0.5 dB) over the speech before the change.
  const auto n3_timeline = offline("N3", timeline_input);
  for (int e = 0; e < 2; ++e) {
    std::size_t exact = 0;
    double largest = 0.0;
    for (std::size_t t = 0; t + latency < change; ++t) {
      const double d = std::abs(heard[e][t + latency] - n3_timeline[e][t]);
      if (d < 1e-4 && exact == t) ++exact;
      largest = std::max(largest, d);
    }
    if (exact + latency < change) {
      // Where on the timeline, and in which recorder cycle, the first departing output frame is.
      const std::size_t at = exact + latency;
      std::printf("ear %d: first departure at timeline frame %zu (cycle %zu + %zu, JACK frame %u; input from frame %zu)\n", e,
                  at, at / period, at % period, c.cycle_time[start + at / period], input_from);
    }
    std::printf("ear %d: the recording is the offline render (within 1e-4) for its first %.3f s of %.3f before the change; "
                "largest difference %.3g\n", e, double(exact) / kRate, double(change - latency) / kRate, largest);
    EXPECT_LT(largest, 1e-4) << "ear " << e << ": the live output departs from render_offline at " << exact / kRate << " s";
    const std::size_t n = change - latency - input_from;
    const auto live_bands = third_octave_levels(heard[e].data() + input_from + latency, n, kRate, 100.0);
    const auto offline_bands = third_octave_levels(n3_timeline[e].data() + input_from, n, kRate, 100.0);
    double worst = 0.0;
    for (std::size_t k = 0; k < live_bands.size(); ++k) worst = std::max(worst, std::abs(live_bands[k].level_db - offline_bands[k].level_db));
    std::printf("ear %d: worst third-octave band difference from render_offline N3: %.3f dB\n", e, worst);
    EXPECT_LT(worst, 0.5);
  }
  // Across the change (from 0.1 s before it to the input's end): no sample step beyond the largest
  // of a static render of either listener (the scene tests' bound).
  const auto n3 = offline("N3", input);
  const auto n4 = offline("N4", input);
  // Measured, not asserted: the same output against the render of the input alone (from its own
  // first frame, as this test once aligned them). It matches only while the input is quiet, or
  // when the input's start on the timeline is a whole number of the STFT's hops (192 frames here).
  for (int e = 0; e < 2; ++e) {
    std::size_t same = 0;
    while (input_from + latency + same < change && std::abs(heard[e][input_from + latency + same] - n3[e][same]) < 1e-4) ++same;
    std::printf("ear %d: against the input's own render (its start %zu frames into the timeline, %zu mod 192): "
                "the same (within 1e-4) for its first %.3f s\n", e, input_from, input_from % 192, double(same) / kRate);
  }
  const std::size_t from = change - static_cast<std::size_t>(0.1 * kRate);
  const double step = largest_step(heard[0], from, end);
  const double bound = std::max(largest_step(n3[0], 0, input.size()), largest_step(n4[0], 0, input.size()));
  std::printf("across the change to N4: largest step %.4f (bound %.4f)\n", step, bound);
  EXPECT_LE(step, bound);
  std::filesystem::remove_all(dir);
}

// `earshot live --listener N3 --aid nal-r,wdrc` (issue 16), then `aid none` typed on stdin: the
// latency it prints has room for the aid; while aided, the 2 kHz band of what it plays is far above
// the offline unaided N3 render of what it heard on its timeline; after `aid none`, that band is
// the unaided render's (the switch itself is the live engine's crossfade, which
// RealTimeSafety.AHearingAidGoesOnAndOffALiveListenerWithoutAllocating and the listener test hold).
TEST(LiveJack, AnAidOnTheLiveListenerComesOffWhenTyped) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "EARSHOT_CORPUS not set: live JACK test on corpus speech skipped";
  if (std::system("command -v jackd > /dev/null") != 0) GTEST_SKIP() << "jackd (Debian's jackd2) not installed";
  std::vector<float> speech = read_mono(*corpus / "speech" / "vctk_p286_011_M_en.wav");
  std::vector<float> input(static_cast<std::size_t>(kSeconds * kRate));
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = speech[i % speech.size()];

  const std::string server = "earshot_live_aid_test_" + std::to_string(getpid());
  const auto dir = std::filesystem::temp_directory_path() / server;
  TimelineClients c(kSeconds + 120.0);  // as above
  c.signal = &input;
  JackRun run{&c, -1, -1, dir};
  const int to_earshot = start_live(c, run, server, {"--listener", "N3", "--aid", "nal-r,wdrc", "--calibration", "100", "--move", "0.2"}, true);
  if (HasFailure()) return;
  const pid_t live = run.live, jackd = run.jackd;
  const auto live_log = dir / "live.txt";
  ASSERT_TRUE(wait_for([&] { return c.played.load() >= std::int64_t(kChangeS * kRate); }, 60));
  ASSERT_EQ(write(to_earshot, "aid none\n", 9), 9);
  ASSERT_TRUE(wait_for([&] { return recorded_past(c, std::int64_t(input.size())); }, 60));
  jack_deactivate(c.recorder);
  jack_deactivate(c.player);
  kill(live, SIGINT);
  int status = 0;
  waitpid(live, &status, 0);
  run.live = -1;
  close(to_earshot);
  jack_client_close(c.recorder);
  jack_client_close(c.player);
  c.recorder = c.player = nullptr;
  kill(jackd, SIGTERM);
  waitpid(jackd, nullptr, 0);
  run.jackd = -1;

  const std::string log = slurp(live_log);
  std::printf("earshot live printed:\n%s", log.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a clean exit on SIGINT";
  EXPECT_NE(log.find("listener N3, aid nal-r,wdrc"), std::string::npos);
  EXPECT_NE(log.find("listener: N3, aid none"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(latency ([0-9.]+) ms \(([0-9]+) frames\))")));
  const auto latency = static_cast<std::size_t>(std::stoul(m[2]));
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(0 s is JACK frame ([0-9]+))")));
  const auto first = static_cast<jack_nframes_t>(std::stoull(m[1]));

  const std::size_t cycles = c.cycles.load(), period = c.period.load();
  const std::size_t start = timeline_start(c, first);
  ASSERT_LT(start, cycles);
  std::size_t change = 0, end = 0, input_from = 0;
  bool input_started = false;
  for (std::size_t k = start; k < cycles; ++k) {
    const std::int64_t pos = c.cycle_input[k];
    if (pos < 0) continue;
    if (!input_started) input_from = (k - start) * period, input_started = true;
    if (change == 0 && pos + std::int64_t(period) >= std::int64_t(kChangeS * kRate)) change = (k + 1 - start) * period;
    if (pos + std::int64_t(period) >= std::int64_t(input.size())) {
      end = (k + 1 - start) * period;
      break;
    }
  }
  ASSERT_GT(end, change);
  const std::vector<float> timeline_input = input_on_timeline(c, start, end);
  const std::vector<float> heard(c.recorded[0].begin() + static_cast<std::ptrdiff_t>(start * period),
                                 c.recorded[0].begin() + static_cast<std::ptrdiff_t>(start * period + end));
  EngineSpec spec;
  spec.listener = listener("N3");
  spec.hearing.sample_rate_hz = kRate;
  spec.hearing.calibration_db_spl = 100.0;
  spec.input_channels = 2;
  spec.output_channels = 2;
  const auto unaided = render_offline(std::make_shared<const EnginePlan>(design_engine(spec).value()), {timeline_input, timeline_input});
  // The 2 kHz third-octave band over a stretch of the timeline: live (after its latency) and offline.
  const auto band = [&](const std::vector<float>& x, std::size_t from, std::size_t to, std::size_t delay) {
    return third_octave_levels(x.data() + from + delay, to - from, kRate, 100.0, 3, 3).front().level_db;
  };
  const std::size_t aided_from = input_from + static_cast<std::size_t>(0.5 * kRate);
  const double aided_live = band(heard, aided_from, change, latency), aided_offline = band(unaided[0], aided_from, change, 0);
  // The change is typed after `change`, designed (longer on a busy machine), and taken where earshot
  // says; then a 0.2 s move, and 0.3 s more before the unaided stretch is measured.
  const std::int64_t taken = change_taken_frame(log);
  ASSERT_GE(taken, std::int64_t(change)) << "earshot says it took 'aid none' before it was typed (or never says where)";
  const std::size_t off_from = static_cast<std::size_t>(taken) + static_cast<std::size_t>(0.5 * kRate), off_to = end - latency;
  ASSERT_GT(off_to, off_from + static_cast<std::size_t>(0.5 * kRate))
      << "'aid none' was taken at " << double(taken) / kRate << " s: too late to measure the unaided stretch before the input ends";
  const double off_live = band(heard, off_from, off_to, latency), off_offline = band(unaided[0], off_from, off_to, 0);
  std::printf("2 kHz band: aided %.1f dB SPL live, %.1f unaided offline; after 'aid none' %.1f live, %.1f unaided offline; latency %zu frames\n",
              aided_live, aided_offline, off_live, off_offline, latency);
  EXPECT_GT(aided_live, aided_offline + 10.0);
  EXPECT_NEAR(off_live, off_offline, 1.5);
  std::filesystem::remove_all(dir);
}

// Level (dB SPL) of the component at `hz` over samples [from, to) of x (one DFT bin).
double component_db(const std::vector<float>& x, double hz, std::size_t from, std::size_t to, double cal) {
  std::complex<double> sum = 0.0;
  for (std::size_t i = from; i < to; ++i) sum += double(x[i]) * std::polar(1.0, -2.0 * std::numbers::pi * hz * double(i - from) / kRate);
  return 20.0 * std::log10(2.0 * std::abs(sum) / double(to - from) / std::numbers::sqrt2 + 1e-30) + cal;
}

std::vector<float> span(const std::vector<float>& x, double from_s, double to_s) {
  return {x.begin() + static_cast<std::ptrdiff_t>(from_s * kRate), x.begin() + static_cast<std::ptrdiff_t>(to_s * kRate)};
}

// `earshot live --scene`: a 4 s scene (normal, then a 1 s move to N5 from 2 s, a 6 kHz tinnitus
// from 3 s) against white noise at 80 dB SPL, placed on the scene's timeline (TimelineClients).
// The normal state lasts 2 s so the input may reach earshot up to 1.5 s into the timeline: it
// reached it 0.6-1.3 s in, with a browser test and four builds beside it (in 0.1-0.3 s idle).
TEST(LiveJack, PlaysASceneAgainstTheLiveInputAsTheSceneRendersOffline) {
  if (std::system("command -v jackd > /dev/null") != 0) GTEST_SKIP() << "jackd (Debian's jackd2) not installed";
  constexpr double kScene = 4.0, kCal = 100.0, kTinnitusHz = 6000.0;
  std::vector<float> noise(static_cast<std::size_t>(20 * kRate));
  std::mt19937 random(13);
  std::normal_distribution<float> gauss(0.0f, 0.1f);  // RMS 0.1: 80 dB SPL at a calibration of 100
  for (auto& v : noise) v = gauss(random);

  const std::string server = "earshot_live_scene_test_" + std::to_string(getpid());
  const auto dir = std::filesystem::temp_directory_path() / server;
  std::filesystem::create_directories(dir);
  // The input file is written only after the live run, for the offline render: live does not read it.
  write_text(dir / "scene.toml", R"(calibration_db_spl = 100
duration_s = 4
[[input]]
file = "input.wav"
[[keyframe]]
time_s = 0
listener = "normal"
[[keyframe]]
time_s = 2
listener = "N5"
transition_s = 1
[[tinnitus]]
kind = "tone"
frequency_hz = 6000
level_db_spl = 55
start_s = 3
ramp_s = 0.05
)");
  TimelineClients c(120.0);  // room for a slow start, as above
  c.signal = &noise;
  JackRun run{&c, -1, -1, dir};
  start_live(c, run, server, {"--scene", (dir / "scene.toml").string()}, false);
  if (HasFailure()) return;
  const pid_t live = run.live, jackd = run.jackd;
  const auto live_log = dir / "live.txt";
  const bool ended = wait_for([&] { return slurp(live_log).find("have played") != std::string::npos; }, 120);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the held state, past the end
  jack_deactivate(c.recorder);
  jack_deactivate(c.player);
  kill(live, SIGINT);
  int status = 0;
  waitpid(live, &status, 0);
  run.live = -1;
  jack_client_close(c.recorder);
  jack_client_close(c.player);
  c.recorder = c.player = nullptr;
  kill(jackd, SIGTERM);
  waitpid(jackd, nullptr, 0);
  run.jackd = -1;

  const std::string log = slurp(live_log);
  std::printf("earshot live printed:\n%s", log.c_str());
  ASSERT_TRUE(ended) << "earshot live never said the scene had played";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a clean exit on SIGINT";
  EXPECT_NE(log.find("scene.toml: 4.00 s (its duration_s)"), std::string::npos);
  EXPECT_NE(log.find("[[input]] file, which is not read"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(latency ([0-9.]+) ms \(([0-9]+) frames\))")));
  const auto latency = static_cast<std::size_t>(std::stoul(m[2]));
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(0 s is JACK frame ([0-9]+))")));
  const auto first = static_cast<jack_nframes_t>(std::stoull(m[1]));
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(([0-9]+) xruns)")));
  const long xruns = std::stol(m[1]);

  const std::size_t cycles = c.cycles.load(), period = c.period.load();
  const std::size_t start = timeline_start(c, first);
  ASSERT_LT(start, cycles) << "the recorder saw no cycle at JACK frame " << first;
  const std::size_t frames = static_cast<std::size_t>(kScene * kRate);
  ASSERT_GE((cycles - start) * period, frames + latency) << "the recording does not reach the scene's end";
  // What earshot heard, and what it played, on the timeline.
  const std::vector<float> input = input_on_timeline(c, start, frames + latency);
  std::size_t noise_from = input.size();
  for (std::size_t k = start; k < cycles && (k - start) * period < input.size(); ++k) {
    if (c.cycle_input[k] >= 0) noise_from = std::min(noise_from, (k - start) * period);
  }
  std::printf("the noise reached earshot %.3f s into the timeline; %ld xruns\n", noise_from / kRate, xruns);
  ASSERT_LT(noise_from / kRate, 1.5) << "the input came too late to hear the scene's first state";
  std::array<std::vector<float>, 2> heard;
  for (int e = 0; e < 2; ++e) {
    const auto at = static_cast<std::ptrdiff_t>(start * period + latency);
    heard[e].assign(c.recorded[e].begin() + at, c.recorded[e].begin() + at + static_cast<std::ptrdiff_t>(frames));
  }

  // The scene's shape in what earshot played. The level at the ear falls with the move (the 1 kHz
  // third-octave band, before the move against held N5 before the tinnitus)...
  const double t0 = std::max(1.5, noise_from / kRate + 0.1);  // the last 0.48 s of the first state, or less
  auto band_1k = [&](const std::vector<float>& x, double from_s, double to_s) {
    const auto s = span(x, from_s, to_s);
    return third_octave_levels(s.data(), s.size(), kRate, kCal, 0, 0).front().level_db;
  };
  const double before = band_1k(heard[0], t0, 1.98), after = band_1k(heard[0], 2.98 - (1.98 - t0), 2.98);
  std::printf("1 kHz band at the left ear: %.1f dB SPL before the move, %.1f after it\n", before, after);
  EXPECT_GT(before - after, 20.0) << "the move to N5 takes the level down";
  // ... and the tinnitus comes in at 3 s: the spectrum's peak (0.8 s, 1.25 Hz bins) is at 6 kHz,
  // and its component reaches half its amplitude 25 ms in, as its 50 ms raised-cosine ramp does.
  for (int e = 0; e < 2; ++e) {
    const std::size_t from = static_cast<std::size_t>(3.15 * kRate), to = static_cast<std::size_t>(3.95 * kRate);
    double peak_hz = 0.0, peak_db = -300.0;
    for (double hz = 100.0; hz < 16000.0; hz += 25.0) {
      const double db = component_db(heard[e], hz, from, to, kCal);
      if (db > peak_db) peak_db = db, peak_hz = hz;
    }
    std::printf("ear %d: spectral peak 3.15-3.95 s at %.0f Hz, %.1f dB SPL\n", e, peak_hz, peak_db);
    EXPECT_EQ(peak_hz, kTinnitusHz);
    EXPECT_NEAR(peak_db, 55.0, 1.0);
    const double steady = component_db(heard[e], kTinnitusHz, from, to, kCal);
    double onset_s = -1.0;
    for (std::size_t at = static_cast<std::size_t>(2.9 * kRate); at + 240 < to; at += 24) {
      if (component_db(heard[e], kTinnitusHz, at, at + 240, kCal) > steady - 6.0) {
        onset_s = (at + 120) / kRate;  // the window's centre
        break;
      }
    }
    std::printf("ear %d: the tinnitus reaches half its amplitude at %.4f s (3.025 s by its ramp)\n", e, onset_s);
    EXPECT_NEAR(onset_s, 3.025, 0.01);
  }

  // Against `earshot scene` offline on the same input on the timeline: sample for sample (the same
  // renderer on the same samples, only in other blocks: any block size gives the same bits; 1e-4
  // is a margin, not a need), and band for band in a span of each state. Both hold across xruns:
  // a late cycle is skipped by every client alike, so counting cycles keeps the clients in step.
  {
    cli::AudioWriter writer(dir / "input.wav", cli::output_format_for(dir / "input.wav", 0), kRate, 1);
    writer.write(input.data(), static_cast<std::int64_t>(input.size()));
    writer.commit();
  }
  const std::string command = std::string(EARSHOT_BINARY) + " scene " + (dir / "scene.toml").string() + " -o " +
                              (dir / "offline.wav").string() + " > " + (dir / "scene.txt").string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << slurp(dir / "scene.txt");
  const cli::AudioData offline = cli::read_audio(dir / "offline.wav");
  ASSERT_EQ(offline.channels.size(), 2u);
  ASSERT_EQ(offline.channels[0].size(), frames);
  for (int e = 0; e < 2; ++e) {
    std::size_t exact = 0;
    while (exact < frames && std::abs(heard[e][exact] - offline.channels[e][exact]) < 1e-4) ++exact;
    double largest = 0.0;
    for (std::size_t i = 0; i < frames; ++i) largest = std::max(largest, double(std::abs(heard[e][i] - offline.channels[e][i])));
    std::printf("ear %d: the live scene is the offline render (within 1e-4) for its first %.3f s of %.0f; largest difference %.3g\n",
                e, exact / kRate, kScene, largest);
    EXPECT_LT(largest, 1e-4) << "ear " << e << ": the live scene departs from earshot scene at " << exact / kRate << " s";
    for (const auto& [from_s, to_s] : {std::pair{t0, 1.98}, std::pair{3.15, 3.95}}) {
      const auto a = span(heard[e], from_s, to_s), b = span(offline.channels[e], from_s, to_s);
      const auto la = third_octave_levels(a.data(), a.size(), kRate, kCal, -6, 9);
      const auto lb = third_octave_levels(b.data(), b.size(), kRate, kCal, -6, 9);
      double worst = 0.0;
      for (std::size_t i = 0; i < la.size(); ++i) {
        if (lb[i].level_db > 10.0) worst = std::max(worst, std::abs(la[i].level_db - lb[i].level_db));
      }
      std::printf("ear %d, %.2f-%.2f s: worst third-octave band (250 Hz-8 kHz) against earshot scene: %.3f dB\n", e, from_s, to_s, worst);
      EXPECT_LT(worst, 1.0);
    }
  }
  std::filesystem::remove_all(dir);
}

// The choice between --listener and --scene, and what goes with each, is refused before JACK is
// asked for anything (no server here): one line on stderr, exit 2, nothing on stdout.
TEST(LiveJack, RefusesAMissingOrDoubledChoiceWithOneLine) {
  const auto dir = std::filesystem::temp_directory_path() / ("earshot_live_args_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  write_text(dir / "scene.toml", "[[input]]\nfile = \"absent.wav\"\n[[keyframe]]\ntime_s = 0\nlistener = \"N3\"\n");
  setenv("JACK_DEFAULT_SERVER", ("earshot_live_args_" + std::to_string(getpid())).c_str(), 1);  // none runs by that name
  const std::string scene = (dir / "scene.toml").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "give --listener SPEC or --scene FILE"},
      {"--listener N3 --scene " + scene, "give --listener or --scene, not both"},
      {"--scene " + scene + " --move 2", "--move is for listener changes typed under --listener"},
      {"--scene " + scene + " --calibration 170", "--calibration 170 dB SPL is outside 0..160 for a scene"},
      {"--scene " + (dir / "absent.toml").string(), "absent.toml"},
      {"--scene " + scene + " --aid nal-r", "--aid is for --listener"},
      {"--listener N3 --aid nal-x", "aid"},
  };
  for (const auto& [args, message] : cases) {
    const std::string command = std::string(EARSHOT_BINARY) + " live " + args + " > " + (dir / "out").string() + " 2> " +
                                (dir / "err").string();
    const int status = std::system(command.c_str());
    const std::string err = slurp(dir / "err");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << args;
    EXPECT_NE(err.find(message), std::string::npos) << args << ": " << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << args << ": " << err;
    EXPECT_EQ(slurp(dir / "out"), "") << args;
  }
  // A scene that reads well needs a server: without one, the usual line and exit code.
  const int status = std::system((std::string(EARSHOT_BINARY) + " live --scene " + scene + " > /dev/null 2> " + (dir / "err").string()).c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2) << slurp(dir / "err");
  EXPECT_NE(slurp(dir / "err").find("no JACK server is running"), std::string::npos) << slurp(dir / "err");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace earshot::test
