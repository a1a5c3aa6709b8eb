#include "apps/web/api_routes.hpp"

#include <httplib.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "apps/cli/audio_file.hpp"
#include "apps/cli/cli_error.hpp"
#include "apps/cli/demo.hpp"
#include "apps/cli/electrodogram_job.hpp"
#include "apps/cli/render_job.hpp"
#include "apps/cli/report_job.hpp"
#include "apps/cli/scene_job.hpp"
#include "apps/cli/score_job.hpp"
#include "apps/cli/text_format.hpp"
#include "apps/web/page_assets.hpp"
#include "apps/web/web_error.hpp"
#include "audiology/presets.hpp"
#include "engine/calibration.hpp"
#include "formats/aid_spec_parser.hpp"
#include "formats/listener_spec_parser.hpp"
#include "model/implant_presets.hpp"

namespace earshot::web {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kJson = "application/json";

void send_error(httplib::Response& res, int status, const std::string& field, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", message}, {"field", field}}.dump(), kJson);
}

// Printable ASCII only, at most 80 characters: an uploaded file's name as messages show it.
std::string display_name(const std::string& filename) {
  std::string s;
  for (char c : filename) {
    if (std::isalnum(static_cast<unsigned char>(c)) || std::string_view(" ._-()").find(c) != std::string_view::npos) s += c;
    if (s.size() >= 80) break;
  }
  return s.empty() ? "the upload" : s;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
}

// A message of the CLI's jobs as this front end's: the upload's temporary path becomes its
// name (the server's folders are never shown), and flags become the form's fields.
std::string as_web_message(std::string message, const RequestWorkspace& ws, const std::string& name, const fs::path& root) {
  replace_all(message, ws.file("upload").string(), name);
  replace_all(message, root.string(), "(server)");
  replace_all(message, "--calibration DB", "calibration_db_spl");
  replace_all(message, "--calibration", "calibration_db_spl");
  replace_all(message, "--level", "level_db_spl");
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  return message;
}

// A text field of the multipart form, if sent.
std::optional<std::string> form_text(const httplib::Request& req, const char* name) {
  if (!req.has_file(name)) return std::nullopt;
  return req.get_file_value(name).content;
}

std::optional<double> form_number(const httplib::Request& req, const char* name) {
  const auto text = form_text(req, name);
  if (!text || text->empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text->c_str(), &end);
  if (end == text->c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) {
    throw WebError(400, name, std::string(name) + " must be a number of dB SPL");
  }
  return v;
}

// A listener sent by the page or a client: the grammar only (formats/listener_spec_parser.hpp),
// never read_listener: a profile path or a Clarity FILE.json#ID would name a file on the server.
// The page sends pasted Clarity listeners as audiograms.
Listener parse_request_listener(const std::string& text) {
  if (text.size() > kMaxListenerChars) {
    throw WebError(400, "listener", "listener is " + std::to_string(text.size()) + " characters long; at most " +
                                        std::to_string(kMaxListenerChars) + " are read");
  }
  auto listener = parse_listener_spec(text, "listener");
  if (!listener) {
    std::string message = describe(listener.errors());
    replace_all(message, ", a .toml profile,", ",");  // the grammar's hint names files; the server reads none
    throw WebError(400, "listener", message);
  }
  return std::move(listener).value();
}

// The optional `aid` field (render's --aid: "nal-r", "fig6,wdrc,nr", "left=nal-r"; empty or
// "none": unaided) put on the listener, as the CLI's --aid does.
Listener with_request_aid(Listener listener, const std::optional<std::string>& text) {
  if (!text || text->empty() || *text == "none") return listener;
  if (text->size() > kMaxListenerChars) {
    throw WebError(400, "aid", "aid is " + std::to_string(text->size()) + " characters long; at most " + std::to_string(kMaxListenerChars) + " are read");
  }
  auto aids = parse_aid_spec(*text);
  if (!aids) throw WebError(400, "aid", describe(aids.errors()));
  auto aided = with_aids(std::move(listener), aids.value());
  if (!aided) throw WebError(400, "aid", describe(aided.errors()));
  return std::move(aided).value();
}

// What render, score and report all take: a sound, a listener and how loud it is presented.
struct SoundRequest {
  const httplib::MultipartFormData* audio = nullptr;
  std::string audio_name;
  Listener listener;
  CalibrationRequest calibration;
};

// The arc brings its own listeners (its keyframes): it reads no `listener` field.
enum class ListenerField { kRequired, kNone };

SoundRequest read_sound_request(const httplib::Request& req, ListenerField listener_field) {
  if (!req.is_multipart_form_data()) {
    throw WebError(415, "", listener_field == ListenerField::kNone ? "send the sound as multipart/form-data with the fields audio and level_db_spl"
                                                                   : "send the sound as multipart/form-data with the fields audio, listener and level_db_spl");
  }
  SoundRequest in;
  const auto listener_text = listener_field == ListenerField::kNone ? std::optional<std::string>("normal") : form_text(req, "listener");
  if (!listener_text || listener_text->empty()) {
    throw WebError(400, "listener", "listener is missing: give a preset (N3), an audiogram (250:20,1000:40,4000:70) or left=...,right=...");
  }
  in.listener = parse_request_listener(*listener_text);
  if (listener_field != ListenerField::kNone) in.listener = with_request_aid(std::move(in.listener), form_text(req, "aid"));
  in.calibration.level_db_spl = form_number(req, "level_db_spl");
  in.calibration.calibration_db_spl = form_number(req, "calibration_db_spl");
  if (const SpecErrors bad = validate(in.calibration); !bad.empty()) throw WebError(400, bad.front().field, describe(bad));
  const auto audio = req.files.find("audio");  // the part itself: get_file_value() would copy it
  if (audio == req.files.end() || audio->second.content.empty()) {
    throw WebError(400, "audio", "audio is missing: attach a sound file (WAV, FLAC, OGG or AIFF)");
  }
  in.audio = &audio->second;
  if (in.audio->content.size() > kMaxUploadBytes) {
    throw WebError(413, "audio", "the sound is larger than 100 MB; send a shorter or compressed (FLAC, OGG) file");
  }
  in.audio_name = display_name(in.audio->filename);
  return in;
}

// The upload on disk, checked to be audio of at most ten minutes before any work is queued.
fs::path store_upload(const SoundRequest& in, const RequestWorkspace& ws) {
  const fs::path path = ws.write("upload", in.audio->content);
  cli::AudioInfo info;
  try {
    info = cli::AudioReader(path).info();
  } catch (const cli::CliError&) {
    throw WebError(415, "audio", "'" + in.audio_name + "' is not a sound file earshot can read; send WAV, FLAC, OGG or AIFF");
  }
  if (info.sample_rate_hz > 0 && info.frames / info.sample_rate_hz > kMaxUploadSeconds) {
    throw WebError(413, "audio", "'" + in.audio_name + "' lasts " + std::to_string(static_cast<long>(info.frames / info.sample_rate_hz / 60)) +
                                     " minutes; at most 10 minutes are rendered");
  }
  return path;
}

// The upload rendered as `earshot render` would (one thread: the same samples as any thread
// count, engine/threaded_engine.hpp) into the request's folder.
cli::RenderReport render_upload(const SoundRequest& in, const fs::path& upload, const fs::path& output) {
  cli::RenderRequest r;
  r.input = upload;
  r.output = output;
  r.listener = in.listener;
  r.level_db_spl = in.calibration.level_db_spl;
  r.calibration_db_spl = in.calibration.calibration_db_spl;
  r.threads = 1;
  return cli::render_file(r);
}

RenderGate::Ticket enter_queue(RenderGate& gate) {
  RenderGate::Ticket ticket = gate.enter();
  if (!ticket.admitted()) throw WebError(503, "", "the server is busy rendering other sounds; try again in a few seconds");
  return ticket;
}

// Runs `job` for a sound request, mapping every failure to a JSON refusal.
template <class Job>
void answer(httplib::Response& res, ApiContext& ctx, const httplib::Request& req, Job&& job,
            ListenerField listener_field = ListenerField::kRequired) {
  std::optional<RequestWorkspace> ws;
  std::string name = "the upload";
  try {
    const SoundRequest in = read_sound_request(req, listener_field);
    name = in.audio_name;
    ws.emplace(ctx.temp_root);
    const fs::path upload = store_upload(in, *ws);
    const RenderGate::Ticket ticket = enter_queue(ctx.gate);
    job(in, upload, *ws);
  } catch (const WebError& e) {
    send_error(res, e.status, e.field, e.what());
    if (e.status == 503) res.set_header("Retry-After", "3");
  } catch (const cli::CliError& e) {
    const std::string message = ws ? as_web_message(e.what(), *ws, "'" + name + "'", ctx.temp_root.path()) : e.what();
    if (e.exit_code == cli::kExitInput) send_error(res, 422, "audio", message);
    else send_error(res, 400, "listener", message);
  } catch (const std::bad_alloc&) {
    send_error(res, 503, "", "the server ran out of memory for this sound; try a shorter one");
  } catch (const std::exception& e) {
    send_error(res, 500, "", std::string("internal error: ") + e.what());
  }
}

cli::ReportSummary run_report(const SoundRequest& in, const fs::path& upload, const fs::path& html, bool scores_only = false) {
  cli::ReportRequest r;
  r.scores.speech = upload;
  r.scores.listener = in.listener;
  r.scores.level_db_spl = in.calibration.level_db_spl;
  r.scores.calibration_db_spl = in.calibration.calibration_db_spl;
  r.threads = 1;  // the queue already runs as many jobs as there are cores
  r.output = html;
  r.scores_only = scores_only;
  // Not HASPI/HASQI: the page asks for its report at every render, and they would add seconds of
  // CPU and hundreds of MB to each (README, "The report"); `earshot report` has them.
  r.hearing_aid_indices = false;
  return cli::write_report(r);
}

json audiogram_json(const Audiogram& a) {
  json points = json::array();
  for (const auto& p : a.points) points.push_back({{"frequency_hz", p.frequency_hz}, {"level_db_hl", p.level_db_hl}});
  return points;
}

json ear_json(const EarProfile& ear) {
  json j{{"label", ear.label}, {"audiogram", audiogram_json(ear.air_db_hl)}};
  if (ear.implant) j["implant"] = ear.implant->device;
  return j;
}

// Every preset the page offers, with both ears' audiograms as the engine reads them.
std::string listeners_json() {
  struct Entry {
    std::string name, group, description;
  };
  std::vector<Entry> entries{{"normal", "Normal and none", "Normal hearing: 0 dB HL"},
                             {"deaf", "Normal and none", "No usable hearing: the audiometer's limit"}};
  for (const auto& b : bisgaard_audiograms()) entries.push_back({b.name, "Bisgaard standard audiograms (2010)", b.description});
  for (const char* s : {"age:50:male", "age:70:male", "age:70:female", "age:80:female", "age:65:male:p90"}) {
    entries.push_back({s, "Age (ISO 7029:2017)", s});
  }
  for (const char* s : {"noise:95dBA:25y:age:50:male", "noise:100dBA:10y:age:35:male"}) {
    entries.push_back({s, "Noise exposure (ISO 1999:2013)", s});
  }
  for (const auto& p : listed_implant_presets()) entries.push_back({p.name, "Cochlear implants and simulations", p.description});
  json list = json::array();
  for (const auto& e : entries) {
    const auto listener = parse_listener_spec(e.name);
    if (!listener) continue;  // every listed name parses (presets_test); never offer one that does not
    list.push_back({{"name", e.name}, {"group", e.group}, {"description", e.description},
                    {"left", ear_json(listener.value().left)}, {"right", ear_json(listener.value().right)}});
  }
  return json{{"listeners", list}}.dump();
}

std::string samples_json(const SampleSet& samples) {
  json list = json::array();
  for (const auto& s : samples.sounds) {
    list.push_back({{"id", s.id}, {"title", s.title}, {"description", s.description}, {"seconds", s.seconds}, {"url", "/api/samples/" + s.id}});
  }
  json j{{"samples", list}};
  if (!samples.missing.empty()) j["missing"] = samples.missing;
  return j.dump();
}


constexpr int kArcTimelineWidthPx = 1100;

std::string base64(const std::string& bytes) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (n > 1) v |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    if (n > 2) v |= static_cast<std::uint8_t>(bytes[i + 2]);
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += n > 1 ? kDigits[(v >> 6) & 63] : '=';
    out += n > 2 ? kDigits[v & 63] : '=';
  }
  return out;
}

// The arc needs material to repeat: under a second, a minute of it would be over sixty copies of
// a fragment (and as many inputs opened), not something to listen to.
constexpr double kMinArcMaterialSeconds = 1.0;

// The film's arc (the CLI demo's arc.toml: apps/cli/demo.hpp) over the upload: the scene system
// has no loop, so material shorter than the arc is placed again and again on the timeline as
// [[input]]s one after the other; duration_s ends the timeline at the arc's end, cutting the last
// copy (or longer material) there. The arc's times are the film's, so it is never stretched.
std::string arc_scene(const SoundRequest& in, double material_seconds, int* copies) {
  std::string toml = "seed = 7\nduration_s = " + std::to_string(cli::kArcSeconds) + "\n";
  if (in.calibration.level_db_spl) toml += "level_db_spl = " + std::to_string(*in.calibration.level_db_spl) + "\n";
  if (in.calibration.calibration_db_spl) toml += "calibration_db_spl = " + std::to_string(*in.calibration.calibration_db_spl) + "\n";
  *copies = 0;
  for (double start = 0.0; start < cli::kArcSeconds; start += material_seconds, ++*copies) {
    // "upload": the request folder's fixed name, beside this scene file (paths are relative to it).
    toml += "\n[[input]]\nfile = \"upload\"\nstart_s = " + std::to_string(start) + "\n";
  }
  return toml + "\n" + cli::kArcSceneLayers;
}

}  // namespace

void install_routes(httplib::Server& server, ApiContext& ctx) {
  for (const PageAsset& asset : page_assets()) {
    const std::string path(asset.path);
    auto serve_asset = [asset](const httplib::Request&, httplib::Response& res) {
      res.set_content(asset.bytes.data(), asset.bytes.size(), std::string(asset.content_type).c_str());
      res.set_header("Cache-Control", "no-cache");
    };
    server.Get(path, serve_asset);
    if (path == "/index.html") server.Get("/", serve_asset);
  }
  const std::string listeners = listeners_json();
  server.Get("/api/listeners", [listeners](const httplib::Request&, httplib::Response& res) { res.set_content(listeners, kJson); });
  // One listener of the grammar with its audiograms, as /api/listeners gives each preset: the
  // page's age, sex, percentile and noise-exposure inputs show the thresholds they make.
  server.Get("/api/listener", [](const httplib::Request& req, httplib::Response& res) {
    try {
      const std::string text = req.get_param_value("listener");
      if (text.empty()) throw WebError(400, "listener", "listener is missing: GET /api/listener?listener=age:70:female");
      const Listener listener = parse_request_listener(text);
      res.set_content(json{{"name", text}, {"left", ear_json(listener.left)}, {"right", ear_json(listener.right)}}.dump(), kJson);
    } catch (const WebError& e) {
      send_error(res, e.status, e.field, e.what());
    }
  });
  const std::string samples = samples_json(ctx.samples);
  server.Get("/api/samples", [samples](const httplib::Request&, httplib::Response& res) { res.set_content(samples, kJson); });
  server.Get(R"(/api/samples/([a-z_]{1,40}))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    for (const auto& s : ctx.samples.sounds) {
      if (s.id == req.matches[1]) return res.set_content(s.wav, "audio/wav");
    }
    send_error(res, 404, "", "there is no built-in sample of that name; GET /api/samples lists them");
  });

  server.Post("/api/render", [&ctx](const httplib::Request& req, httplib::Response& res) {
    answer(res, ctx, req, [&](const SoundRequest& in, const fs::path& upload, const RequestWorkspace& ws) {
      const fs::path output = ws.file("render.wav");
      const cli::RenderReport report = render_upload(in, upload, output);
      res.set_content(read_whole_file(output), "audio/wav");
      res.set_header("Content-Disposition", "attachment; filename=\"earshot-render.wav\"");
      res.set_header("X-Earshot-Calibration-Db-Spl", std::to_string(report.calibration_db_spl));
    });
  });
  server.Post("/api/score", [&ctx](const httplib::Request& req, httplib::Response& res) {
    answer(res, ctx, req, [&](const SoundRequest& in, const fs::path& upload, const RequestWorkspace& ws) {
      const bool two_ears = !(in.listener.left == in.listener.right);
      // As `earshot report` scores them: STOI for every ear, the SII for an acoustic ear only (it
      // models acoustic hearing and cannot score a cochlear implant: metrics/sii_inputs.hpp).
      const cli::ReportSummary s = run_report(in, upload, ws.file("report.html"), /*scores_only=*/true);
      const char* why = "the SII models acoustic hearing and cannot score a cochlear implant";
      auto sii = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
      auto reading = [&](const std::optional<double>& v) { return v ? cli::sii_reading(*v) : std::string(why); };
      json j{{"sii", {{"left", sii(s.sii_left)}, {"right", sii(s.sii_right)}}},
             {"sii_reading", {{"left", reading(s.sii_left)}, {"right", reading(s.sii_right)}}},
             {"stoi", {{"left", s.stoi_left}, {"right", s.stoi_right}}},
             {"ears_differ", two_ears}};
      // With an aid: the same ears aided (the fields above are then unaided), as the report has them.
      if (s.aided) {
        j["aided"] = {{"sii", {{"left", sii(s.aided_sii_left)}, {"right", sii(s.aided_sii_right)}}},
                      {"sii_reading", {{"left", reading(s.aided_sii_left)}, {"right", reading(s.aided_sii_right)}}},
                      {"stoi", {{"left", s.aided_stoi_left}, {"right", s.aided_stoi_right}}}};
      }
      res.set_content(j.dump(), kJson);
    });
  });
  server.Post("/api/report", [&ctx](const httplib::Request& req, httplib::Response& res) {
    answer(res, ctx, req, [&](const SoundRequest& in, const fs::path& upload, const RequestWorkspace& ws) {
      run_report(in, upload, ws.file("report.html"));
      // The report names its speech file: the upload's name, never the server's folder.
      std::string html = read_whole_file(ws.file("report.html"));
      replace_all(html, upload.string(), in.audio_name);
      replace_all(html, ctx.temp_root.path().string(), "(server)");
      res.set_content(html, "text/html; charset=utf-8");
    });
  });

  server.Post("/api/electrodogram", [&ctx](const httplib::Request& req, httplib::Response& res) {
    answer(res, ctx, req, [&](const SoundRequest& in, const fs::path& upload, const RequestWorkspace& ws) {
      cli::ElectrodogramRequest r;
      r.input = upload;
      r.csv = ws.file("pulses.csv");
      r.picture = ws.file("pulses.png");
      r.listener = in.listener;
      if (const auto ear = form_text(req, "ear")) {
        if (*ear != "left" && *ear != "right" && !ear->empty()) throw WebError(400, "ear", "ear must be left or right");
        r.ear = *ear;
      }
      r.level_db_spl = in.calibration.level_db_spl;
      r.calibration_db_spl = in.calibration.calibration_db_spl;
      const cli::ElectrodogramSummary s = cli::write_electrodogram(r);
      res.set_content(read_whole_file(*r.picture), "image/png");
      // The picture has no axes of its own: the page draws them from these.
      res.set_header("X-Earshot-Ear", s.ear);
      res.set_header("X-Earshot-Device", s.device);
      res.set_header("X-Earshot-Seconds", std::to_string(s.seconds));
      res.set_header("X-Earshot-Pulses", std::to_string(s.pulses));
      res.set_header("X-Earshot-Electrodes-Active", std::to_string(s.electrodes_active));
      res.set_header("Access-Control-Expose-Headers", "X-Earshot-Ear, X-Earshot-Device, X-Earshot-Seconds, X-Earshot-Pulses, X-Earshot-Electrodes-Active");
    });
  });

  server.Post("/api/arc", [&ctx](const httplib::Request& req, httplib::Response& res) {
    answer(
        res, ctx, req,
        [&](const SoundRequest& in, const fs::path& upload, const RequestWorkspace& ws) {
          const cli::AudioInfo info = cli::AudioReader(upload).info();
          const double seconds = info.sample_rate_hz > 0 ? double(info.frames) / info.sample_rate_hz : 0.0;
          if (seconds < kMinArcMaterialSeconds) {
            throw WebError(400, "audio", "'" + in.audio_name + "' lasts " + cli::fmt("%.2f", seconds) + " s; the arc repeats material of at least 1 s");
          }
          int copies = 0;
          ws.write("arc.toml", arc_scene(in, seconds, &copies));
          cli::SceneRequest scene;
          scene.scene = ws.file("arc.toml");
          scene.output = ws.file("arc.wav");
          scene.timeline = ws.file("arc.png");
          // Narrower than the CLI's 20 px a second (1510 px): the page shows it at most about 900
          // CSS px wide, where 1100 px keeps its labels at 80 % of their size.
          scene.timeline_width_px = kArcTimelineWidthPx;
          cli::SceneSummary s;
          try {
            s = cli::run_scene(scene);
          } catch (const cli::CliError& e) {
            // The scene's messages start with its file's path: here it is the arc, not a file.
            std::string message = e.what();
            replace_all(message, scene.scene.string() + ": ", "");
            message = as_web_message(message, ws, "'" + in.audio_name + "'", ctx.temp_root.path());
            if (e.exit_code == cli::kExitInput) throw WebError(422, "audio", message);
            throw WebError(400, in.calibration.calibration_db_spl ? "calibration_db_spl" : "level_db_spl", message);
          }
          json j{{"seconds", s.duration_s},
                 {"sample_rate_hz", s.sample_rate_hz},
                 {"material_seconds", seconds},
                 {"copies", copies},
                 {"calibration_db_spl", s.calibration_db_spl},
                 {"output_db_spl", {{"left", s.output_long_term_db_spl[0]}, {"right", s.output_long_term_db_spl[1]}}},
                 {"wav_base64", base64(read_whole_file(*scene.output))},
                 {"timeline_png_base64", base64(read_whole_file(*scene.timeline))},
                 // The picture's time axis (0 s .. the arc's end), in its pixels: the page puts the
                 // player's position on it.
                 {"timeline_plot", {{"width_px", s.timeline_width_px},
                                    {"height_px", s.timeline_height_px},
                                    {"left_px", s.timeline_plot_left_px},
                                    {"right_px", s.timeline_plot_right_px},
                                    {"top_px", s.timeline_plot_top_px},
                                    {"bottom_px", s.timeline_plot_bottom_px}}}};
          res.set_content(j.dump(), kJson);
        },
        ListenerField::kNone);
  });

  // Refusals httplib makes itself (an unknown path, a request over the size limit, one it cannot
  // parse) get the same JSON shape as the routes' own.
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 404:
        send_error(res, 404, "", req.path.rfind("/api/", 0) == 0 ? "there is no such API; docs/web.md lists them" : "there is no such page");
        break;
      case 413: send_error(res, 413, "audio", "the upload is larger than 100 MB; send a shorter or compressed (FLAC, OGG) file"); break;
      case 405: send_error(res, 405, "", "this path does not take that method; docs/web.md lists the API"); break;
      default: send_error(res, res.status, "", "the request could not be read as HTTP"); break;
    }
  });
}

}  // namespace earshot::web
