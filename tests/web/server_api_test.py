"""`earshot serve`'s API (docs/web.md) on loopback: the page and its files, the presets, the samples,
a render that is the same bytes as `earshot render`, scores that fall with a loss, the report, JSON
refusals that name their field, and no upload left on disk after a response.
Usage: server_api_test.py EARSHOT_BINARY (ctest runs it; needs EARSHOT_CORPUS)."""
import base64
import io
import json
import math
import os
import re
import subprocess
import struct
import sys
import tempfile
import urllib.parse
import wave

from web_support import Server, corpus_file, post_form, request

earshot = sys.argv[1]
speech_path = corpus_file("speech/cmu_arctic_aew_a0001_M_en.wav")
speech = open(speech_path, "rb").read()
failures = []
short = io.BytesIO()  # half a second of a 440 Hz tone: too short for the arc to repeat
with wave.open(short, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(16000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 16000))) for i in range(8000)))
short_wav = short.getvalue()


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


server = Server(earshot)
try:
    # The page and every file it names.
    status, headers, page = request(server, "GET", "/")
    check(status == 200 and headers["content-type"].startswith("text/html") and b"audiogram" in page, "GET / is the page")
    for asset in re.findall(rb'(?:href|src)="(/[^"]+)"', page):
        s, h, body = request(server, "GET", asset.decode())
        check(s == 200 and len(body) > 100, "the page's %s is served" % asset.decode())

    # Presets with their audiograms: N3 as `earshot listeners` gives it.
    status, _, body = request(server, "GET", "/api/listeners")
    presets = {p["name"]: p for p in json.loads(body)["listeners"]}
    check(status == 200 and {"normal", "N3", "S1", "deaf", "ci:nucleus-ace"} <= set(presets), "GET /api/listeners has the presets")
    table = subprocess.run([earshot, "listeners"], capture_output=True, text=True, check=True).stdout
    n3_row = [float(x) for x in re.search(r"^N3\s+((?:-?[\d.]+\s+){8})", table, re.M).group(1).split()]
    n3 = {p["frequency_hz"]: p["level_db_hl"] for p in presets["N3"]["left"]["audiogram"]}
    check(abs(n3[1000.0] - n3_row[2]) < 0.05 and abs(n3[4000.0] - n3_row[5]) < 0.05,
          "N3's audiogram is the CLI's (1 kHz %.1f, 4 kHz %.1f dB HL)" % (n3[1000.0], n3[4000.0]))
    check("implant" in presets["ci:nucleus-ace"]["left"], "an implant preset says which device")

    # One listener of the grammar with its audiograms (the page's age and noise inputs): a preset
    # gives what /api/listeners gives; a percentile, noise and a bad age behave as the grammar says.
    def listener(spec):
        st, _, b = request(server, "GET", "/api/listener?listener=" + urllib.parse.quote(spec))
        return st, json.loads(b)
    status, aged = listener("age:70:female")
    check(status == 200 and aged["left"] == presets["age:70:female"]["left"], "GET /api/listener gives a preset's audiograms")
    worse = listener("age:70:female:p90")[1]
    noisy = listener("noise:95dBA:20y:age:70:female")[1]
    at_4k = lambda e: {p["frequency_hz"]: p["level_db_hl"] for p in e["right"]["audiogram"]}[4000.0]
    check(at_4k(worse) > at_4k(aged) + 5 and at_4k(noisy) > at_4k(aged) + 5,
          "p90 and noise at work raise 4 kHz: median %.1f, p90 %.1f, noise %.1f dB HL" % (at_4k(aged), at_4k(worse), at_4k(noisy)))
    for spec, what in [("age:12:female", "an age below ISO 7029's range"), ("", "no listener"),
                       ("../listeners.json#L0001", "a file reference"), ("age:70:female:p99", "a percentile out of range")]:
        status, body = listener(spec)
        check(status == 400 and body["field"] == "listener" and "\n" not in body["error"],
              "GET /api/listener refuses %s: %s" % (what, body["error"]))

    # Built-in samples: real WAV files, as long as they say.
    status, _, body = request(server, "GET", "/api/samples")
    samples = json.loads(body)["samples"]
    check(status == 200 and {"drums"} <= {s["id"] for s in samples}, "GET /api/samples lists the drum groove")
    for s in samples:
        st, h, wav = request(server, "GET", s["url"])
        check(st == 200 and wav[:4] == b"RIFF" and wav[8:12] == b"WAVE" and h["content-type"] == "audio/wav", "sample %s is a WAV" % s["id"])
    check(request(server, "GET", "/api/samples/etc_passwd")[0] == 404, "an unknown sample is 404")
    by_id = {s["id"]: s for s in samples}
    if "missing" not in json.loads(body):  # espeak-ng is installed: the café is made from its voices
        cafe = by_id.get("voice_in_cafe", {})
        check(cafe.get("title") == "A voice in a café" and cafe.get("seconds", 0) > by_id["speech"]["seconds"],
              "GET /api/samples lists the voice in a café, longer than the voice alone (%.1f s)" % cafe.get("seconds", 0))

    # The same bytes as `earshot render` for the same input, listener and level.
    with tempfile.TemporaryDirectory() as tmp:
        for listener, level in [("N3", "65"), ("left=N2,right=250:20,1000:40,4000:70", "70"), ("ci:nucleus-ace", "60")]:
            status, headers, web = post_form(server, "/api/render", {"audio": ("speech.wav", speech), "listener": listener, "level_db_spl": level})
            out = os.path.join(tmp, "cli.wav")
            subprocess.run([earshot, "render", speech_path, out, "-l", listener, "--level", level, "-q"], check=True, capture_output=True)
            cli = open(out, "rb").read()
            check(status == 200 and headers["content-type"] == "audio/wav" and web == cli,
                  "POST /api/render %s at %s dB SPL is byte for byte `earshot render` (%d bytes)" % (listener, level, len(web)))

    # Scores: SII in 0..1 and lower for a loss; STOI near 1 for normal hearing.
    scores = {}
    for listener in ["normal", "N3", "N6"]:
        status, _, body = post_form(server, "/api/score", {"audio": ("speech.wav", speech), "listener": listener, "level_db_spl": "65"})
        scores[listener] = json.loads(body)
        check(status == 200 and 0.0 <= scores[listener]["sii"]["left"] <= 1.0 and scores[listener]["sii_reading"]["left"],
              "POST /api/score %s: SII %.3f (%s), STOI %.3f" % (listener, scores[listener]["sii"]["left"],
                                                             scores[listener]["sii_reading"]["left"], scores[listener]["stoi"]["left"]))
    check(scores["normal"]["sii"]["left"] > scores["N3"]["sii"]["left"] > scores["N6"]["sii"]["left"], "SII falls from normal to N3 to N6")
    check(scores["normal"]["stoi"]["left"] > 0.95, "STOI of normal hearing against the recording is near 1")
    status, _, body = post_form(server, "/api/score", {"audio": ("speech.wav", speech), "listener": "left=normal,right=N6"})
    s = json.loads(body)
    check(s["ears_differ"] and s["sii"]["left"] > s["sii"]["right"], "two different ears are scored on their own")

    status, _, body = post_form(server, "/api/score", {"audio": ("speech.wav", speech), "listener": "left=ci:nucleus-ace,right=N3"})
    s = json.loads(body)
    check(status == 200 and s["sii"]["left"] is None and "implant" in s["sii_reading"]["left"] and 0.0 < s["stoi"]["left"] < s["stoi"]["right"],
          "an implant gets STOI (%.3f, N3 ear %.3f) and no SII, with the reason" % (s["stoi"]["left"], s["stoi"]["right"]))
    check(s["sii"]["right"] is not None and 0.0 < s["sii"]["right"] < 1.0, "the bimodal listener's acoustic N3 ear keeps its SII (%s)" % s["sii"]["right"])

    # The report: one HTML page with both audiograms and the spectrograms.
    status, headers, body = post_form(server, "/api/report", {"audio": ("speech.wav", speech), "listener": "N3"})
    check(status == 200 and headers["content-type"].startswith("text/html") and body.count(b"data:image/png;base64") >= 2
          and b'class="point right"' in body, "POST /api/report is the report with audiograms and spectrograms")
    check(b"speech.wav" in body and server.temp.encode() not in body and b"earshot-serve" not in body,
          "the report names the upload, not the server's folder")
    status, headers, body = post_form(server, "/api/report", {"audio": ("speech.wav", speech), "listener": "left=ci:nucleus-ace,right=N3"})
    check(status == 200 and body.count(b"<audio controls") == 3 and b'class="electrodogram" data-ear="left"' in body
          and b"The SII is acoustic-only: it does not apply to an implanted ear." in body,
          "POST /api/report for a bimodal listener: three players, the implanted ear's electrodogram, the SII's limit said")

    # Hearing aids (issue 16): the `aid` field, as `earshot render --aid` takes it. A render is
    # `earshot render --aid`'s bytes; the scores give the aided ears beside the unaided; the report
    # shows both; a bad aid, or one on an implanted ear, is a 400 naming the field.
    with tempfile.TemporaryDirectory() as tmp:
        status, headers, web = post_form(server, "/api/render", {"audio": ("speech.wav", speech), "listener": "N3", "aid": "nal-r,wdrc", "level_db_spl": "55"})
        out = os.path.join(tmp, "cli.wav")
        subprocess.run([earshot, "render", speech_path, out, "-l", "N3", "--aid", "nal-r,wdrc", "--level", "55", "-q"], check=True, capture_output=True)
        check(status == 200 and web == open(out, "rb").read(), "POST /api/render with aid nal-r,wdrc is byte for byte `earshot render --aid`")
    status, _, body = post_form(server, "/api/score", {"audio": ("speech.wav", speech), "listener": "N3", "aid": "nal-r,wdrc,nr", "level_db_spl": "55"})
    s = json.loads(body)
    check(status == 200 and "aided" in s and s["aided"]["sii"]["left"] > s["sii"]["left"] + 0.2,
          "POST /api/score with an aid: N3 at 55 dB SPL, SII %.2f unaided, %.2f aided" % (s["sii"]["left"], s.get("aided", {}).get("sii", {}).get("left", -1)))
    status, _, body = post_form(server, "/api/score", {"audio": ("speech.wav", speech), "listener": "N3", "aid": "none"})
    check(status == 200 and "aided" not in json.loads(body), "aid none: unaided scores only")
    status, headers, body = post_form(server, "/api/report", {"audio": ("speech.wav", speech), "listener": "N3", "aid": "fig6,wdrc"})
    check(status == 200 and b"data-aided-sii=" in body and body.count(b"<audio controls") == 3
          and b'<svg class="audibility" data-condition="aided"' in body, "POST /api/report with an aid: unaided and aided side by side")
    for aid, listener in [("nal-x", "N3"), ("nal-r", "ci:nucleus-ace")]:
        status, _, body = post_form(server, "/api/render", {"audio": ("speech.wav", speech), "listener": listener, "aid": aid})
        e = json.loads(body)
        check(status == 400 and e["field"] == "aid" and "\n" not in e["error"], "aid %s for %s is refused: %s" % (aid, listener, e["error"]))

    # The electrodogram of an implanted ear: a PNG with its own axes (1000 px wide), and its summary.
    status, headers, body = post_form(server, "/api/electrodogram", {"audio": ("speech.wav", speech), "listener": "left=ci:nucleus-ace,right=N3"})
    check(status == 200 and body[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", body[16:20])[0] == 1000 and headers.get("x-earshot-ear") == "left"
          and int(headers.get("x-earshot-electrodes-active", "0")) == 22 and abs(float(headers["x-earshot-seconds"]) - 3.88) < 0.01
          and int(headers["x-earshot-pulses"]) > 1000,
          "POST /api/electrodogram for ci:nucleus-ace: %s pulses on %s electrodes" % (headers.get("x-earshot-pulses"), headers.get("x-earshot-electrodes-active")))
    status, _, body = post_form(server, "/api/electrodogram", {"audio": ("speech.wav", speech), "listener": "N3"})
    check(status == 400 and json.loads(body)["field"] == "listener", "an electrodogram of a listener with no implant is refused: " + json.loads(body)["error"])

    # The film's arc over the corpus speech (about 3 s, so repeated): a WAV of the arc's 62 s and
    # its timeline picture; loud while the listener hears normally, silent once the processors
    # are off (57 s on).
    status, headers, body = post_form(server, "/api/arc", {"audio": ("speech.wav", speech), "level_db_spl": "70"})
    check(status == 200 and headers["content-type"] == "application/json", "POST /api/arc answers JSON (%d)" % status)
    arc = json.loads(body) if status == 200 else {}
    wav = base64.b64decode(arc.get("wav_base64", ""))
    fmt_at = wav.find(b"fmt ")
    channels, rate = struct.unpack("<HI", wav[fmt_at + 10:fmt_at + 16]) if fmt_at > 0 else (0, 0)
    data_at = wav.find(b"data")
    frames = struct.unpack("<I", wav[data_at + 4:data_at + 8])[0] // (4 * channels) if data_at > 0 and channels else 0
    check(wav[:4] == b"RIFF" and channels == 2 and rate == 16000 and abs(frames - 62 * rate) <= 1,
          "the arc is a stereo WAV of 62 s (%d frames at %d Hz), the speech placed %s times" % (frames, rate, arc.get("copies")))
    if frames:
        samples_lr = struct.unpack("<%df" % (frames * 2), wav[data_at + 8:data_at + 8 + frames * 8])
        def rms_db(t0, t1):
            x = samples_lr[int(t0 * rate) * 2:int(t1 * rate) * 2]
            return 10 * math.log10(sum(v * v for v in x) / len(x) + 1e-30)
        early, late = rms_db(0, 5), rms_db(58, 62)
        check(early - late > 40, "the arc's first 5 s (%.0f dBFS) are heard, its last 4 s with the processors off (%.0f dBFS) are not" % (early, late))
    png = base64.b64decode(arc.get("timeline_png_base64", ""))
    width, height = struct.unpack(">II", png[16:24]) if png[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)
    plot = arc.get("timeline_plot", {})
    check(width == 1100 and 200 <= height <= 1200 and len(png) > 10000 and plot.get("width_px") == width and plot.get("height_px") == height
          and plot.get("left_px") == 160 and plot.get("right_px") == 990 and 0 < plot.get("top_px", 0) < plot.get("bottom_px", 0) < height,
          "the arc's timeline is a PNG of %dx%d (the page's width), %d bytes, its time axis at %s" % (width, height, len(png), plot))
    for name, fields, want_status, want_field in [
        ("no audio", {"level_db_spl": "70"}, 400, "audio"),
        ("garbage bytes", {"audio": ("x.wav", os.urandom(4000))}, 415, "audio"),
        ("half a second", {"audio": ("short.wav", short_wav)}, 400, "audio"),
        ("a level out of range", {"audio": ("speech.wav", speech), "level_db_spl": "500"}, 400, "level_db_spl"),
    ]:
        status, _, body = post_form(server, "/api/arc", fields)
        j = json.loads(body) if body[:1] == b"{" else {}
        check(status == want_status and j.get("field") == want_field and "\n" not in j.get("error", "\n") and "/tmp" not in j.get("error", ""),
              "the arc refuses %s: %d %s" % (name, status, j.get("error", body[:80])))

    # Refusals: JSON with a one-line error and the field.
    for name, fields, want_status, want_field in [
        ("garbage bytes", {"audio": ("x.wav", os.urandom(4000)), "listener": "N3"}, 415, "audio"),
        ("no audio", {"listener": "N3"}, 400, "audio"),
        ("no listener", {"audio": ("speech.wav", speech)}, 400, "listener"),
        ("a listener that names a server file", {"audio": ("speech.wav", speech), "listener": "/etc/passwd"}, 400, "listener"),
        ("a Clarity file reference", {"audio": ("speech.wav", speech), "listener": "../listeners.json#L0001"}, 400, "listener"),
        ("a profile path", {"audio": ("speech.wav", speech), "listener": "../../profile.toml"}, 400, "listener"),
        ("a level out of range", {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "500"}, 400, "level_db_spl"),
        ("a level that is no number", {"audio": ("speech.wav", speech), "listener": "N3", "level_db_spl": "loud"}, 400, "level_db_spl"),
        ("a bad audiogram", {"audio": ("speech.wav", speech), "listener": "250:20,1000:900"}, 400, "listener"),
    ]:
        status, headers, body = post_form(server, "/api/render", fields)
        try:
            j = json.loads(body)
        except ValueError:
            j = {}
        ok = status == want_status and j.get("field") == want_field and j.get("error") and "\n" not in j["error"] \
            and "/tmp" not in j["error"] and "earshot-serve" not in j["error"]
        check(ok, "%s: %d %s" % (name, status, j.get("error", body[:80])))
    # Eleven minutes (8 kHz, 8-bit: 5.3 MB) is over the ten-minute limit: refused before any work.
    with tempfile.TemporaryDirectory() as tmp:
        long_path = os.path.join(tmp, "eleven_minutes.wav")
        with wave.open(long_path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(1)
            w.setframerate(8000)
            w.writeframes(b"\x80" * (8000 * 660))
        status, _, body = post_form(server, "/api/render", {"audio": ("eleven_minutes.wav", open(long_path, "rb").read()), "listener": "N3"})
        j = json.loads(body)
        check(status == 413 and j["field"] == "audio" and "10 minutes" in j["error"], "an 11-minute upload: %d %s" % (status, j["error"]))
    status, _, body = request(server, "GET", "/../../etc/passwd")
    check(status in (400, 404) and b"root:" not in body, "a ../ path is refused (%d)" % status)
    status, _, body = request(server, "POST", "/api/render", b"x=1", {"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 415 and json.loads(body)["error"], "a form that is not multipart is 415")

    # The command's own refusals: one line, exit 2, and a port in use is said to be.
    for args, says in [(["--port", "70000"], "--port 70000 is outside 0...65535"),
                       (["--port", str(server.port)], "cannot listen on 127.0.0.1:%d" % server.port),
                       (["--client-timeout", "0"], "--client-timeout 0 is outside 1...600 s")]:
        try:
            r = subprocess.run([earshot, "serve", *args], capture_output=True, text=True, timeout=30)
            check(r.returncode == 2 and r.stderr.count("\n") == 1 and says in r.stderr,
                  "earshot serve %s: exit %d, %s" % (" ".join(args), r.returncode, r.stderr.strip()))
        except subprocess.TimeoutExpired:
            check(False, "earshot serve %s should refuse to start, but it ran" % " ".join(args))
    # Beyond loopback it warns (there is no login).
    other = Server(earshot, "--host", "0.0.0.0")
    other.stop()
    warning = other.proc.stderr.read()
    check("warning" in warning and "anyone who can reach it" in warning, "--host 0.0.0.0 warns: " + warning.strip())

    # Nothing left on disk once every response is sent.
    check(server.temp and os.path.isdir(server.temp) and os.listdir(server.temp) == [],
          "no upload or render is left in the server's temporary folder")
finally:
    code = server.stop()
check(code == 0 and not os.path.exists(server.temp or "/nonexistent"), "SIGTERM stops the server (exit 0) and removes its temporary folder")
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
