// earshot's Python module (earshot._earshot): a thin typed binding over the library's own
// functions (include/earshot/earshot.hpp and the layers it names). Each function converts its
// arrays (numpy_audio.hpp), releases the GIL around the library's work so threads render in
// parallel, and turns the library's errors (Result<...>) into ValueError with the library's
// one-line description, fields named. No rule of the library is written again here.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <unistd.h>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/scene_job.hpp"
#include "earshot/earshot.hpp"
#include "engine/electrodogram_render.hpp"
#include "engine/aided_speech_and_noise.hpp"
#include "formats/aid_spec_parser.hpp"
#include "formats/clarity_listener.hpp"
#include "metrics/hearing_aid_index.hpp"
#include "batch_binding.hpp"
#include "numpy_audio.hpp"

namespace py = pybind11;

namespace earshot::python {
namespace {

[[noreturn]] void raise(const SpecErrors& errors) { throw py::value_error(describe(errors)); }

template <class T>
T value_or_raise(Result<T> result) {
  if (!result) raise(result.errors());
  return std::move(result).value();
}

// A listener as Python holds it: the library's Listener and the text it came from.
struct PyListener {
  Listener listener;
  std::string spec;
};

PyListener parse(const std::string& spec) { return {value_or_raise(parse_listener(spec)), spec}; }

Listener listener_from(const py::handle& object) {
  if (py::isinstance<PyListener>(object)) return object.cast<const PyListener&>().listener;
  if (py::isinstance<py::str>(object)) return parse(object.cast<std::string>()).listener;
  throw py::value_error("listener: give a listener spec string (\"N3\", \"left=N2,right=ci:nucleus-ace\", "
                        "\"listeners.json#L0001\") or an earshot.Listener");
}

// The listener with the aid a front end was given (formats/aid_spec_parser.hpp, as `--aid` takes
// it: "nal-r", "fig6,wdrc,nr", "left=nal-r"); "none" takes every aid off (a profile's too); None
// or "" leaves the listener as it is.
Listener with_aid(Listener listener, const std::optional<std::string>& aid) {
  if (!aid || aid->empty()) return listener;
  if (*aid == "none") return without_aids(std::move(listener));
  const AidSpec spec = value_or_raise(parse_aid_spec(*aid));
  return value_or_raise(with_aids(std::move(listener), spec));
}

py::list to_list(const std::vector<double>& v) {
  py::list out;
  for (double x : v) out.append(x);
  return out;
}

py::dict describe_ear(const EarProfile& ear) {
  py::dict d;
  d["label"] = ear.label;
  std::vector<double> hz, db, gap_hz, gap_db;
  for (const auto& p : ear.air_db_hl.points) {
    hz.push_back(p.frequency_hz);
    db.push_back(p.level_db_hl);
  }
  for (const auto& p : ear.air_bone_gap_db.points) {
    gap_hz.push_back(p.frequency_hz);
    gap_db.push_back(p.level_db_hl);
  }
  d["audiogram_hz"] = to_list(hz);
  d["audiogram_db_hl"] = to_list(db);
  d["air_bone_gap_hz"] = to_list(gap_hz);
  d["air_bone_gap_db"] = to_list(gap_db);
  d["hears_acoustically"] = ear.hears_acoustically();
  if (ear.aid) {
    py::dict aid;
    aid["prescription"] = prescription_name(ear.aid->prescription);
    aid["compression"] = ear.aid->compression;
    aid["attack_ms"] = ear.aid->attack_ms;
    aid["release_ms"] = ear.aid->release_ms;
    aid["mpo_db_spl"] = ear.aid->mpo_db_spl ? py::cast(*ear.aid->mpo_db_spl) : py::none();
    aid["noise_reduction"] = ear.aid->noise_reduction;
    aid["nr_floor_db"] = ear.aid->nr_floor_db;
    d["aid"] = aid;
  } else {
    d["aid"] = py::none();
  }
  if (ear.implant) {
    const ImplantMap& m = *ear.implant;
    py::dict implant;
    implant["device"] = m.device;
    implant["strategy"] = std::string(to_string(m.strategy));
    implant["electrodes"] = m.electrodes;
    implant["switched_off"] = m.switched_off;
    implant["band_edges_hz"] = to_list(m.band_edges_hz);
    implant["maxima"] = m.maxima;
    implant["rate_pps"] = m.rate_pps;
    implant["carrier"] = std::string(to_string(m.carrier));
    implant["acoustic_crossover_hz"] = m.acoustic_crossover_hz;
    implant["source"] = m.source;
    d["implant"] = implant;
  } else {
    d["implant"] = py::none();
  }
  return d;
}

RenderOptions render_options(std::optional<double> level_db_spl, std::optional<double> calibration_db_spl, const std::string& field,
                             bool smearing, double jitter_ms, double jitter_bandwidth_hz, double jitter_cutoff_hz, unsigned seed) {
  RenderOptions o;
  o.level_db_spl = level_db_spl;
  o.calibration_db_spl = calibration_db_spl;
  if (field == "free") o.field = SoundField::free;
  else if (field == "diffuse") o.field = SoundField::diffuse;
  else throw py::value_error("field: '" + field + "' is not known: use free or diffuse");
  o.smearing = smearing;
  o.jitter.rms_ms = jitter_ms;
  o.jitter.bandwidth_hz = jitter_bandwidth_hz;
  o.jitter.cutoff_hz = jitter_cutoff_hz;
  o.seed = seed;
  return o;
}

py::array render_array(const py::handle& samples, double sample_rate_hz, const py::handle& listener, std::optional<double> level_db_spl,
                       std::optional<double> calibration_db_spl, const std::string& field, bool smearing, double jitter_ms,
                       double jitter_bandwidth_hz, double jitter_cutoff_hz, unsigned seed, const std::optional<std::string>& aid) {
  const Listener who = with_aid(listener_from(listener), aid);
  const RenderOptions options =
      render_options(level_db_spl, calibration_db_spl, field, smearing, jitter_ms, jitter_bandwidth_hz, jitter_cutoff_hz, seed);
  PlanarAudio in = planar_from_numpy(samples, "samples");
  Result<Rendering> out = SpecErrors{};
  {
    py::gil_scoped_release release;
    out = render(in.channels, sample_rate_hz, who, options);
  }
  const Rendering r = value_or_raise(std::move(out));
  return numpy_from_planar(r.channels, in.float64, in.one_dimensional);
}

// Every sample finite and of a sane size (engine/input_check.hpp's sample rule), fields named
// after the argument. Not the whole-input rule: a silent block or a silent processed signal is
// valid here (the scores say what they need of a signal themselves).
void check_samples(const std::vector<std::vector<float>>& channels, const std::string& argument) {
  for (std::size_t c = 0; c < channels.size(); ++c) {
    InputChecker checker(1);
    SpecErrors errors = checker.add(channels[c].data(), static_cast<std::int64_t>(channels[c].size()));
    for (auto& e : errors) {
      e.field = argument + (e.field.empty() ? "" : "." + e.field);
      if (channels.size() > 1) e.message += " (channel " + std::to_string(c) + ")";
    }
    if (!errors.empty()) raise(errors);
  }
}

// One mono signal for the scores: 1-D, or 2-D with one channel.
std::vector<float> mono(const py::handle& samples, const std::string& argument, double sample_rate_hz) {
  PlanarAudio a = planar_from_numpy(samples, argument);
  if (a.channels.size() != 1) {
    throw py::value_error(argument + ": has " + std::to_string(a.channels.size()) + " channels: score one channel at a time");
  }
  (void)sample_rate_hz;  // the score checks the rate itself
  check_samples(a.channels, argument);
  return std::move(a.channels.front());
}

StoiScores stoi_scores(const py::handle& clean, const py::handle& processed, double sample_rate_hz) {
  const auto x = mono(clean, "clean", sample_rate_hz);
  const auto y = mono(processed, "processed", sample_rate_hz);
  Result<StoiScores> scores = SpecErrors{};
  {
    py::gil_scoped_release release;
    scores = stoi(x, y, sample_rate_hz);
  }
  return value_or_raise(std::move(scores));
}

// HASPI v2 / HASQI v2 of one mono pair for one ear of a listener, as `earshot score --haspi
// --hasqi` scores a channel (metrics/hearing_aid_index.hpp, the same call): level1 is
// calibration_db_spl, or the reference's active speech level (ITU-T P.56) presented at
// level_db_spl (default 65), as the CLI sets it; ear None: an ear of a listener whose ears are
// alike (the CLI's mono --test), scored with the left ear's stream as the CLI does.
double hearing_aid_index_value(HearingAidIndex index, const py::handle& reference, const py::handle& test, double sample_rate_hz,
                               const py::handle& listener, const std::optional<std::string>& ear, std::optional<double> level_db_spl,
                               std::optional<double> calibration_db_spl, std::uint64_t seed) {
  const Listener who = listener_from(listener);
  int ear_index = 0;
  if (!ear) {
    if (!ears_alike_for_indices(who)) throw py::value_error("ear: the listener's two ears differ: give ear=\"left\" or ear=\"right\"");
  } else if (*ear == "left" || *ear == "right") {
    ear_index = *ear == "left" ? 0 : 1;
  } else {
    throw py::value_error("ear: '" + *ear + "' is not known: use left or right");
  }
  const auto x = mono(reference, "reference", sample_rate_hz);
  const auto y = mono(test, "test", sample_rate_hz);
  const CalibrationRequest calibration{level_db_spl, calibration_db_spl};
  if (SpecErrors errors = validate(calibration); !errors.empty()) raise(errors);
  const float* channel = x.data();
  const auto calibrated = calibrate(calibration, {channel}, x.size(), sample_rate_hz);
  if (!calibrated) {
    throw py::value_error("reference: has no active speech (ITU-T P.56) to set its level: give calibration_db_spl");
  }
  const double level1_db_spl = calibrated.value().calibration_db_spl;
  Result<double> value = SpecErrors{};
  {
    py::gil_scoped_release release;
    value = hearing_aid_index(index, std::vector<double>(x.begin(), x.end()), sample_rate_hz, std::vector<double>(y.begin(), y.end()),
                              sample_rate_hz, who.ear(ear_index), ear_index, level1_db_spl, seed);
  }
  return value_or_raise(std::move(value));
}

SiiProcedure procedure_from(const std::string& name) {
  SiiProcedure p;
  if (!parse_sii_procedure(name, p)) {
    throw py::value_error("procedure: '" + name + "' is not known: use critical, equally_critical, third_octave or octave");
  }
  return p;
}

py::dict sii_scores(const py::handle& speech, std::optional<double> sample_rate_hz, const py::handle& listener, const py::handle& noise,
                    std::optional<double> speech_level_db_spl, std::optional<double> calibration_db_spl,
                    std::optional<double> noise_level_db_spl, std::optional<std::string> effort, const std::string& procedure) {
  SiiRequest request;
  request.listener = listener_from(listener);
  request.procedure = procedure_from(procedure);
  PlanarAudio speech_audio, noise_audio;
  auto signal = [&](const PlanarAudio& a, const char* name) {
    if (!sample_rate_hz) throw py::value_error(std::string(name) + ": give sample_rate_hz with it");
    if (a.channels.empty()) throw py::value_error(std::string(name) + ": has no channels");
    if (a.channels.size() > 2) throw py::value_error(std::string(name) + ": has " + std::to_string(a.channels.size()) + " channels: give mono or left, right");
    check_samples(a.channels, name);
    SiiSignal s;
    for (const auto& c : a.channels) s.channels.push_back(c.data());
    s.frames = a.channels.front().size();
    s.sample_rate_hz = *sample_rate_hz;
    return s;
  };
  if (!speech.is_none() && effort) throw py::value_error("speech: give speech or effort, not both");
  if (!speech.is_none()) {
    speech_audio = planar_from_numpy(speech, "speech");
    request.speech = signal(speech_audio, "speech");
    // The speech's calibration, as `earshot score` does it (engine/calibration.hpp): a fixed one, or
    // its active speech level presented at speech_level_db_spl (default 65).
    const CalibrationRequest calibration{speech_level_db_spl, calibration_db_spl};
    if (SpecErrors errors = validate(calibration); !errors.empty()) raise(errors);
    auto calibrated = calibrate(calibration, request.speech->channels, request.speech->frames, *sample_rate_hz);
    if (calibrated) request.speech->calibration_db_spl = calibrated.value().calibration_db_spl;
  } else if (effort) {
    VocalEffort e;
    if (!parse_vocal_effort(*effort, e)) throw py::value_error("effort: '" + *effort + "' is not known: use normal, raised, loud or shout");
    request.effort = e;
  } else {
    throw py::value_error("speech: give speech (an array, with sample_rate_hz) or effort (normal, raised, loud, shout)");
  }
  if (!noise.is_none()) {
    noise_audio = planar_from_numpy(noise, "noise");
    request.noise = signal(noise_audio, "noise");
    request.noise->level_db_spl = noise_level_db_spl;
    request.noise->calibration_db_spl = calibration_db_spl;
  }
  Result<SiiScores> scores = SpecErrors{};
  {
    py::gil_scoped_release release;
    scores = score_sii(request);
  }
  const SiiScores s = value_or_raise(std::move(scores));
  py::dict out;
  out["left"] = s.ears[0].sii;
  out["right"] = s.ears[1].sii;
  out["speech_level_db_spl"] = s.speech_level_db_spl;
  out["band_centre_hz"] = to_list(s.band_centre_hz);
  py::dict audibility;
  audibility["left"] = to_list(s.ears[0].band_audibility);
  audibility["right"] = to_list(s.ears[1].band_audibility);
  out["band_audibility"] = audibility;
  return out;
}

double sii_bands(const std::vector<double>& speech_spectrum_db, std::optional<std::vector<double>> noise_spectrum_db,
                 std::optional<std::vector<double>> threshold_db, const std::string& procedure,
                 std::optional<std::vector<double>> importance) {
  SiiInput in;
  in.procedure = procedure_from(procedure);
  in.speech_spectrum_db = speech_spectrum_db;
  in.noise_spectrum_db = noise_spectrum_db.value_or(std::vector<double>{});
  in.threshold_db_hl = threshold_db.value_or(std::vector<double>{});
  in.importance = importance.value_or(std::vector<double>{});
  return value_or_raise(sii(in)).sii;
}

py::dict electrodogram_arrays(const py::handle& samples, double sample_rate_hz, const py::handle& listener, const std::string& ear,
                              std::optional<double> level_db_spl, std::optional<double> calibration_db_spl) {
  const Listener who = listener_from(listener);
  PlanarAudio in = planar_from_numpy(samples, "samples");
  Result<ElectrodogramRendering> r = SpecErrors{};
  {
    py::gil_scoped_release release;
    r = render_electrodogram(in.channels, sample_rate_hz, who, ear, {level_db_spl, calibration_db_spl});
  }
  const ElectrodogramRendering out = value_or_raise(std::move(r));
  const auto n = static_cast<py::ssize_t>(out.pulses.size());
  py::array_t<double> time_s(n);
  py::array_t<int> electrode(n);
  py::array_t<double> current_ua(n);
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto& p = out.pulses[static_cast<std::size_t>(i)];
    time_s.mutable_data()[i] = p.time_s;
    electrode.mutable_data()[i] = p.number;
    current_ua.mutable_data()[i] = p.current_ua;
  }
  py::dict d;
  d["time_s"] = time_s;
  d["electrode"] = electrode;
  d["current_ua"] = current_ua;
  d["ear"] = out.ear;
  return d;
}

// The streaming engine: LiveEngine, one block per call. Calls on one Engine are serialised (a
// process() and a set_listener() may run at once, as the library allows; two process() calls may not).
class PyEngine {
 public:
  PyEngine(const py::handle& listener, double sample_rate_hz, int input_channels, int output_channels, double calibration_db_spl,
           const std::string& field, bool smearing, double jitter_ms, unsigned seed, const std::optional<std::string>& aid)
      : aid_(aid) {
    LiveEngineSpec spec;
    spec.hearing.sample_rate_hz = sample_rate_hz;
    spec.hearing.calibration_db_spl = calibration_db_spl;
    spec.hearing.smearing = smearing;
    spec.hearing.seed = seed;
    if (field == "free") spec.hearing.field = SoundField::free;
    else if (field == "diffuse") spec.hearing.field = SoundField::diffuse;
    else throw py::value_error("field: '" + field + "' is not known: use free or diffuse");
    spec.jitter.rms_ms = jitter_ms;
    spec.input_channels = input_channels;
    spec.output_channels = output_channels;
    // An engine given an aid (even "none") has room in its fixed latency for any aid later.
    spec.room_for_aid = aid.has_value();
    const Listener who = with_aid(listener_from(listener), aid_);
    SpecErrors errors;
    {
      py::gil_scoped_release release;
      errors = engine_.prepare(spec, who);
    }
    if (!errors.empty()) raise(errors);
  }

  py::array process(const py::handle& block) {
    PlanarAudio in = planar_from_numpy(block, "block");
    const LiveEngineSpec& spec = engine_.spec();
    if (static_cast<int>(in.channels.size()) != spec.input_channels) {
      throw py::value_error("block: has " + std::to_string(in.channels.size()) + " channels; the engine takes " +
                            std::to_string(spec.input_channels));
    }
    const std::size_t frames = in.channels.front().size();
    std::vector<std::vector<float>> out(static_cast<std::size_t>(spec.output_channels), std::vector<float>(frames));
    if (frames > 0) {
      check_samples(in.channels, "block");
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(process_mutex_);
      std::vector<const float*> ins;
      std::vector<float*> outs;
      for (auto& c : in.channels) ins.push_back(c.data());
      for (auto& c : out) outs.push_back(c.data());
      engine_.process(ins.data(), outs.data(), static_cast<int>(frames));
    }
    return numpy_from_planar(out, in.float64, false);
  }

  // The engine's aid stays on through a listener change unless `aid` replaces it ("none": off).
  void set_listener(const py::handle& listener, double move_s, const std::optional<std::string>& aid) {
    if (aid) aid_ = *aid == "none" ? std::nullopt : aid;
    const Listener who = with_aid(listener_from(listener), aid_);
    SpecErrors errors;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(control_mutex_);
      errors = engine_.set_listener(who, move_s);
    }
    if (!errors.empty()) raise(errors);
  }

  void reset() {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(process_mutex_);
    engine_.reset();
  }
  int latency_frames() const { return engine_.latency_frames(); }
  bool changing() const { return engine_.changing(); }
  std::int64_t frames_processed() const { return engine_.frames_processed(); }
  std::int64_t last_change_frame() const { return engine_.last_change_frame(); }

 private:
  LiveEngine engine_;
  std::optional<std::string> aid_;  // the aid (as --aid takes it) put on every listener given
  std::mutex process_mutex_, control_mutex_;
};

// A scene file rendered exactly as `earshot scene FILE -o OUT` renders it (apps/cli/scene_job):
// into a temporary float32 WAV that is read back and removed.
py::tuple scene_from_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::random_device seed_source;
  const fs::path dir = fs::temp_directory_path() / ("earshot_py_scene_" + std::to_string(::getpid()) + "_" + std::to_string(seed_source()));
  cli::AudioData audio;
  std::string error;
  {
    py::gil_scoped_release release;
    std::error_code ec;
    fs::create_directories(dir, ec);
    try {
      cli::SceneRequest request;
      request.scene = path;
      request.output = dir / "scene.wav";
      cli::run_scene(request);
      audio = cli::read_audio(dir / "scene.wav");
    } catch (const cli::CliError& e) {
      error = e.what();
    }
    fs::remove_all(dir, ec);
  }
  if (!error.empty()) throw py::value_error(error);
  return py::make_tuple(numpy_from_planar(audio.channels, false, false), audio.info.sample_rate_hz);
}

}  // namespace
}  // namespace earshot::python

PYBIND11_MODULE(_earshot, m) {
  using namespace earshot;
  using namespace earshot::python;
  m.doc() = "earshot's compiled core; use the earshot package, which documents every function.";
  m.attr("__version__") = version();

  py::class_<PyListener>(m, "Listener")
      .def(py::init(&parse), py::arg("spec"))
      .def_static(
          "from_clarity",
          [](const std::string& path, const std::string& id) {
            auto read = read_clarity_listener(path, id);
            if (!read) throw py::value_error(describe(std::filesystem::path(path), read.errors()));
            return PyListener{std::move(read).value(), path + "#" + id};
          },
          py::arg("path"), py::arg("id"))
      .def_property_readonly("spec", [](const PyListener& l) { return l.spec; })
      .def_property_readonly("symmetric", [](const PyListener& l) { return l.listener.symmetric(); })
      .def("describe", [](const PyListener& l) {
        py::dict d;
        d["left"] = describe_ear(l.listener.left);
        d["right"] = describe_ear(l.listener.right);
        d["symmetric"] = l.listener.symmetric();
        return d;
      })
      // Pickled as its spec (read again on loading), so listeners travel to worker processes.
      .def(py::pickle([](const PyListener& l) { return py::make_tuple(l.spec); },
                      [](const py::tuple& state) { return parse(state[0].cast<std::string>()); }))
      .def("__repr__", [](const PyListener& l) { return "earshot.Listener(" + std::string(py::repr(py::str(l.spec))) + ")"; });

  m.def("render", &render_array, py::arg("samples"), py::arg("sample_rate_hz"), py::arg("listener"), py::arg("level_db_spl"),
        py::arg("calibration_db_spl"), py::arg("field"), py::arg("smearing"), py::arg("jitter_ms"), py::arg("jitter_bandwidth_hz"),
        py::arg("jitter_cutoff_hz"), py::arg("seed"), py::arg("aid"));
  m.def("stoi", [](const py::handle& x, const py::handle& y, double fs) { return stoi_scores(x, y, fs).stoi; });
  m.def("estoi", [](const py::handle& x, const py::handle& y, double fs) { return stoi_scores(x, y, fs).estoi; });
  m.def("sii", &sii_scores);
  m.def("haspi", [](const py::handle& x, const py::handle& y, double fs, const py::handle& listener, const std::optional<std::string>& ear,
                    std::optional<double> level, std::optional<double> calibration, std::uint64_t seed) {
    return hearing_aid_index_value(HearingAidIndex::haspi_v2, x, y, fs, listener, ear, level, calibration, seed);
  });
  m.def("hasqi", [](const py::handle& x, const py::handle& y, double fs, const py::handle& listener, const std::optional<std::string>& ear,
                    std::optional<double> level, std::optional<double> calibration, std::uint64_t seed) {
    return hearing_aid_index_value(HearingAidIndex::hasqi_v2, x, y, fs, listener, ear, level, calibration, seed);
  });
  m.def("sii_from_bands", &sii_bands);
  m.def("electrodogram", &electrodogram_arrays);
  m.def("render_scene_file", &scene_from_file);
  add_batch(m);
  py::class_<PyEngine>(m, "Engine")
      .def(py::init<const py::handle&, double, int, int, double, const std::string&, bool, double, unsigned, const std::optional<std::string>&>())
      .def("process", &PyEngine::process)
      .def("set_listener", &PyEngine::set_listener)
      .def("reset", &PyEngine::reset)
      .def_property_readonly("latency_frames", &PyEngine::latency_frames)
      .def_property_readonly("changing", &PyEngine::changing)
      .def_property_readonly("frames_processed", &PyEngine::frames_processed)
      .def_property_readonly("last_change_frame", &PyEngine::last_change_frame);
}
