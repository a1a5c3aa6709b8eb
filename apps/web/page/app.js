// The page's wiring: listener (presets, charts, Clarity paste) + sound (samples, upload,
// microphone) + level -> POST /api/render, /api/score, /api/report (docs/web.md) -> A/B player,
// scores and report. Every render, score and SII shown is the server's; the page computes none.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  presets: [],
  // spec: a preset name, or null once edited; implant: the preset has a cochlear implant on this ear
  ears: { right: { spec: "normal", implant: false }, left: { spec: "normal", implant: false } },
  sound: null,            // { name, blob, original: AudioBuffer }
  renderedKey: "",        // listener|level|sound of the render the player holds
  renderSerial: 0,
  renders: 0,
  pendingPlayClick: null, // performance.now() of a Play press waiting for its render
  scoreSerial: 0,
};
const player = new AbPlayer();
const charts = {
  right: new AudiogramChart($("chart-right"), "right", (levels) => earEdited("right", levels)),
  left: new AudiogramChart($("chart-left"), "left", (levels) => earEdited("left", levels)),
};

function setStatus(text) { $("status").textContent = text; }

function earSpec(side) {
  const ear = state.ears[side];
  if (ear.spec) return ear.spec;
  return AUDIOGRAM_FREQUENCIES_HZ.map((f, i) => `${f}:${+charts[side].levels[i].toFixed(1)}`).join(",");
}

function listenerSpec() {
  const l = earSpec("left"), r = earSpec("right");
  return l === r ? l : `left=${l},right=${r}`;
}

function showListener() {
  $("listener-spec").textContent = listenerSpec();
  document.body.dataset.listener = listenerSpec();
}

function earEdited(side, levels) {
  state.ears[side].spec = null;
  state.ears[side].implant = false;
  $("preset").value = "";
  $("preset-description").textContent = "Your own audiogram.";
  showListener();
  scheduleRender();
}

function setEarFromProfile(side, ear, note) {
  const levels = AUDIOGRAM_FREQUENCIES_HZ.map((f) => Math.round(audiogramAt(ear.audiogram, f) * 10) / 10);
  charts[side].setLevels(levels, note);
}

function choosePreset(name) {
  const p = state.presets.find((x) => x.name === name);
  if (!p) return;
  for (const side of ["right", "left"]) {
    const ear = p[side];
    state.ears[side].spec = name;
    state.ears[side].implant = !!ear.implant;
    setEarFromProfile(side, ear, ear.implant ? `${name} (${ear.implant}); the chart shows the hearing left without it` : name);
  }
  $("preset-description").textContent = p.description;
  showListener();
  scheduleRender();
}

async function loadPresets() {
  const r = await fetch("/api/listeners");
  state.presets = (await r.json()).listeners;
  const select = $("preset");
  const groups = {};
  for (const p of state.presets) {
    if (!groups[p.group]) {
      groups[p.group] = document.createElement("optgroup");
      groups[p.group].label = p.group;
      select.appendChild(groups[p.group]);
    }
    const o = document.createElement("option");
    o.value = p.name;
    o.textContent = p.name === p.description ? p.name : `${p.name}: ${p.description}`;
    groups[p.group].appendChild(o);
  }
  select.value = "normal";
  choosePreset("normal");
}

// A Clarity/Cadenza listener entry (audiogram_cfs, audiogram_levels_l, audiogram_levels_r): sent
// to the server as two audiograms, never as a file.
function useClarityListener() {
  const msg = $("clarity-message");
  try {
    const doc = JSON.parse($("clarity-text").value);
    let id = $("clarity-id").value.trim(), entry = null;
    if (doc && Array.isArray(doc.audiogram_cfs)) { entry = doc; id = doc.name || "the entry"; }
    else if (doc && typeof doc === "object") {
      if (!id) id = Object.keys(doc)[0];
      entry = doc[id];
    }
    if (!entry) throw new Error(id ? `there is no listener '${id}' in it` : "it holds no listener");
    const cfs = entry.audiogram_cfs;
    for (const [side, key] of [["left", "audiogram_levels_l"], ["right", "audiogram_levels_r"]]) {
      const levels = entry[key];
      if (!Array.isArray(cfs) || !Array.isArray(levels) || levels.length !== cfs.length || !cfs.every(Number.isFinite) || !levels.every(Number.isFinite)) {
        throw new Error(`${key} must be a list of numbers as long as audiogram_cfs`);
      }
      const points = cfs.map((f, i) => ({ frequency_hz: f, level_db_hl: levels[i] })).sort((a, b) => a.frequency_hz - b.frequency_hz);
      state.ears[side].spec = null;
      state.ears[side].implant = false;
      setEarFromProfile(side, { audiogram: points }, `Clarity listener ${id}`);
    }
    $("preset").value = "";
    $("preset-description").textContent = `Clarity listener ${id}.`;
    msg.textContent = `Using listener ${id}.`;
    showListener();
    scheduleRender();
  } catch (e) {
    msg.textContent = "That is not a Clarity listener: " + e.message;
  }
}

// Age, sex and percentile (ISO 7029) and noise at work (ISO 1999) as a listener of the grammar
// (age:70:female:p90, noise:95dBA:20y:age:50:male); the server gives its audiograms.
function ageSpec() {
  const age = $("age-years").value.trim(), sex = $("age-sex").value, pct = $("age-percentile").value;
  let spec = `age:${age}:${sex}` + (pct ? `:${pct}` : "");
  if ($("noise-on").checked) spec = `noise:${$("noise-dba").value.trim()}dBA:${$("noise-years").value.trim()}y:` + spec;
  return spec;
}

async function useAgeListener() {
  const msg = $("age-message");
  // The inputs' own ranges (the grammar's: ISO 7029's 18-100 years, ISO 1999's 70-120 dB(A) and
  // 1-60 years) are checked here first, so that a typing slip costs no request.
  const fields = [["age-years", "age", "years"], ["noise-dba", "daily noise level", "dB(A)"], ["noise-years", "years of noise", "years"]];
  for (const [id, what, unit] of fields) {
    const box = $(id);
    if ((id === "age-years" || $("noise-on").checked) && !box.checkValidity()) {
      msg.textContent = `Not used: the ${what} must be a whole number from ${box.min} to ${box.max} ${unit}.`;
      return;
    }
  }
  const spec = ageSpec();
  try {
    const r = await fetch("/api/listener?listener=" + encodeURIComponent(spec));
    const body = await r.json();
    if (!r.ok) throw new Error(body.error);
    for (const side of ["right", "left"]) {
      state.ears[side].spec = spec;
      state.ears[side].implant = false;
      setEarFromProfile(side, body[side], spec);
    }
    $("preset").value = "";
    $("preset-description").textContent = `Typical hearing for ${spec}.`;
    msg.textContent = `Using ${spec}.`;
    showListener();
    scheduleRender();
  } catch (e) {
    msg.textContent = "Not used: " + e.message;
  }
}

async function chooseSound(name, blob) {
  try {
    const original = await player.decode(await blob.arrayBuffer());
    state.sound = { name, blob, original };
    $("sound-name").textContent = `${name} (${original.duration.toFixed(1)} s)`;
    $("play").disabled = false;
    $("arc-render").disabled = false;
    $("arc-status").textContent = `Ready to render the arc over ${name}.`;
    setStatus(`Ready: press Play to hear ${name}.`);
    if (state.renders > 0 || player.playing) scheduleRender();
  } catch (e) {
    setStatus(`This browser cannot play ${name}: ${e.message || e}. Try a WAV file.`);
  }
}

async function loadSamples() {
  const r = await fetch("/api/samples");
  const doc = await r.json();
  const box = $("samples");
  doc.samples.forEach((s, i) => {
    const id = "sample-" + s.id;
    const row = document.createElement("div");
    row.className = "row";
    row.innerHTML = `<input type="radio" name="sound" id="${id}" value="${s.id}"><label for="${id}"></label>`;
    row.querySelector("label").textContent = `${s.title} (${s.seconds.toFixed(1)} s): ${s.description}`;
    row.querySelector("input").addEventListener("change", async () => {
      const wav = await (await fetch(s.url)).blob();
      chooseSound(s.title, new File([wav], s.id + ".wav", { type: "audio/wav" }));
    });
    box.appendChild(row);
  });
  if (doc.missing) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = "Some samples are missing on this server: " + doc.missing;
    box.appendChild(p);
  }
}

let renderTimer = null;
function scheduleRender() {
  if (!state.sound || (state.renders === 0 && !player.playing)) return;
  clearTimeout(renderTimer);
  renderTimer = setTimeout(() => renderNow(), 250);
}

// The hearing aid as `earshot render --aid` takes it, on the ears that hear acoustically ("" for
// none): "nal-r,wdrc", or "right=nal-r" beside an implanted left ear.
function aidSpec() {
  const rule = $("aid-rule").value;
  const acoustic = ["left", "right"].filter((side) => !state.ears[side].implant);
  if (!rule || acoustic.length === 0) return "";
  const head = acoustic.length === 2 ? rule : `${acoustic[0]}=${rule}`;
  return [head, $("aid-wdrc").checked ? "wdrc" : "", $("aid-nr").checked ? "nr" : ""].filter(Boolean).join(",");
}

// What a render is of: the listener, the aid, the level and the sound.
function renderKey() {
  return `${listenerSpec()}|${aidSpec()}|${$("level").value}|${state.sound ? state.sound.name : ""}`;
}

function formFor(ear) {
  const form = new FormData();
  if (ear) form.append("ear", ear);
  form.append("audio", state.sound.blob, state.sound.blob.name || "sound.wav");
  form.append("listener", listenerSpec());
  if (aidSpec()) form.append("aid", aidSpec());
  form.append("level_db_spl", $("level").value);
  return form;
}

// POST with the queue's rule: a 503 says when to come back.
// A full queue (503) is waited out for up to about two minutes, saying so: the page itself asks
// for a render, the scores, the report and an electrodogram at each change, and a click on the
// arc while those run must wait its turn rather than fail.
async function post(path, form) {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(path, { method: "POST", body: form });
    if (r.status === 503 && attempt < 40) {
      const wait = Number(r.headers.get("Retry-After") || "2");
      setStatus(`The server is busy; trying again in ${wait} s.`);
      await new Promise((ok) => setTimeout(ok, wait * 1000));
      continue;
    }
    if (!r.ok) {
      let message = `the server answered ${r.status}`;
      try { const j = await r.json(); message = j.error + (j.field ? ` (field: ${j.field})` : ""); } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return r;
  }
}

async function renderNow() {
  if (!state.sound) return;
  const key = renderKey();
  const serial = ++state.renderSerial;  // a render still in flight is for an older edit: dropped
  // An edit undone before its render (up, then down again) needs none, unless Play waits for it.
  if (key === state.renderedKey && state.pendingPlayClick === null) {
    document.body.dataset.rendering = "0";
    setStatus(`Rendered for ${listenerSpec()}.`);
    return;
  }
  setStatus(`Rendering ${state.sound.name} for ${listenerSpec()}${aidSpec() ? " with the aid " + aidSpec() : ""} at ${$("level").value} dB SPL…`);
  document.body.dataset.rendering = "1";
  try {
    const r = await post("/api/render", formFor());
    const wav = await r.blob();
    const heard = await player.decode(await wav.arrayBuffer());
    if (serial !== state.renderSerial) return;  // a newer render was asked for meanwhile
    state.renderedKey = key;
    state.renders++;
    const link = $("download-render");
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(wav);
    link.setAttribute("aria-disabled", "false");
    let soundAt = player.setBuffers(state.sound.original, heard);
    $("ab").disabled = false;
    $("position").disabled = false;
    $("position").max = String(player.duration());
    if (state.pendingPlayClick !== null) {
      soundAt = player.play(0);
      const ms = soundAt - state.pendingPlayClick;
      document.body.dataset.playToSoundMs = ms.toFixed(0);
      state.pendingPlayClick = null;
      setStatus(`Playing ${state.sound.name}: sound ${(ms / 1000).toFixed(2)} s after pressing Play (render and transfer included).`);
    } else {
      setStatus(player.playing ? `Playing the new render for ${listenerSpec()}.` : `Rendered for ${listenerSpec()}.`);
    }
    updatePlayButton();
    document.body.dataset.renderCount = String(state.renders);
    document.body.dataset.rendering = "0";
    loadScores(key);
  } catch (e) {
    if (serial === state.renderSerial) {
      document.body.dataset.rendering = "0";
      state.pendingPlayClick = null;
      setStatus("Not rendered: " + e.message);
    }
  }
}

function describeStoi(v) {
  // STOI (Taal et al. 2011) compares the heard envelope with the recorded one, 0 to 1; it rises
  // with intelligibility, but how many words that is depends on the material.
  if (v >= 0.9) return "the speech's rhythm and shape are almost all there";
  if (v >= 0.75) return "most of the speech's shape is there";
  if (v >= 0.6) return "part of the speech's shape is lost; following it takes effort";
  return "little of the speech's shape survives";
}

async function loadScores(key) {
  const serial = ++state.scoreSerial;
  $("scores").innerHTML = '<p class="hint">Scoring…</p>';
  try {
    const implanted = ["left", "right"].filter((side) => state.ears[side].implant);
    const dogram = implanted.length ? post("/api/electrodogram", formFor(implanted[0])) : null;
    // The report scores every ear (the SII only an acoustic one) and shows an implanted ear's electrodogram.
    const [score, report] = await Promise.all([post("/api/score", formFor()), post("/api/report", formFor())]);
    const s = await score.json();
    const html = report ? await report.text() : "";
    if (serial !== state.scoreSerial) return;
    const rows = s.ears_differ ? [["Left ear", "left"], ["Right ear", "right"]] : [["Both ears", "left"]];
    const table = document.createElement("table");
    table.innerHTML = "<caption>For this sound at this level, in quiet</caption><tr><th>Ear</th><th>SII (0 to 1)</th><th>What it means</th><th>STOI (0 to 1)</th><th>What it means</th></tr>";
    for (const [label, ear] of rows) {
      const tr = document.createElement("tr");
      const sii = s.sii[ear] === null ? "none" : s.sii[ear].toFixed(2);
      for (const text of [label, sii, s.sii_reading[ear], s.stoi[ear].toFixed(3), describeStoi(s.stoi[ear])]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      }
      tr.dataset.ear = ear;
      tr.dataset.sii = s.sii[ear] === null ? "" : s.sii[ear].toFixed(4);
      table.appendChild(tr);
      if (s.aided) {  // the same ear with its aid (the row above is then unaided)
        tr.cells[0].textContent = `${label}, unaided`;
        const aided = document.createElement("tr");
        const asii = s.aided.sii[ear] === null ? "none" : s.aided.sii[ear].toFixed(2);
        for (const text of [`${label}, aided`, asii, s.aided.sii_reading[ear], s.aided.stoi[ear].toFixed(3), describeStoi(s.aided.stoi[ear])]) {
          const td = document.createElement("td");
          td.textContent = text;
          aided.appendChild(td);
        }
        aided.dataset.ear = ear;
        aided.dataset.condition = "aided";
        aided.dataset.sii = s.aided.sii[ear] === null ? "" : s.aided.sii[ear].toFixed(4);
        table.appendChild(aided);
      }
    }
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent = "SII (ANSI S3.5-1997): how much of the speech's information is audible to this listener. " +
      "STOI (Taal et al. 2011): how much of the speech's time shape survives in what they hear, compared with the recording. " +
      "Both are measures of speech: for music or other sounds they only say how much of the sound is audible and keeps its shape.";
    $("scores").replaceChildren(table, note);
    document.body.dataset.siiLeft = s.sii.left === null ? "" : s.sii.left.toFixed(4);
    document.body.dataset.siiRight = s.sii.right === null ? "" : s.sii.right.toFixed(4);
    document.body.dataset.aidedSiiLeft = s.aided && s.aided.sii.left !== null ? s.aided.sii.left.toFixed(4) : "";
    document.body.dataset.scoredKey = key;
    if (dogram) {
      const r = await dogram;
      if (serial !== state.scoreSerial) return;
      showElectrodogram($("electrodogram"), await r.blob(), r.headers);
    } else {
      $("electrodogram").hidden = true;
    }
    const link = $("download-report");
    if (link.href) URL.revokeObjectURL(link.href);
    $("report").hidden = !html;
    if (html) {
      $("report").srcdoc = html;
      link.href = URL.createObjectURL(new Blob([html], { type: "text/html" }));
      link.setAttribute("aria-disabled", "false");
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    }
  } catch (e) {
    if (serial === state.scoreSerial) $("scores").textContent = "Not scored: " + e.message;
  }
}

function updatePlayButton() { $("play").textContent = player.playing ? "Pause" : "Play"; }

function toggleAb() {
  if ($("ab").disabled) return;
  player.setHeard(!player.heard);
  $("ab").setAttribute("aria-pressed", String(player.heard));
  $("ab").textContent = player.heard ? "Now: as this listener hears it" : "Now: as recorded";
  document.body.dataset.heard = String(player.heard);
}

$("play").addEventListener("click", () => {
  if (player.playing) { player.pause(); updatePlayButton(); return; }
  player.context().resume();
  const key = renderKey();
  if (key === state.renderedKey) {
    const clicked = performance.now();
    const soundAt = player.play(player.offset);
    document.body.dataset.playToSoundMs = (soundAt - clicked).toFixed(0);
    updatePlayButton();
    setStatus(`Playing ${state.sound.name}.`);
    return;
  }
  state.pendingPlayClick = performance.now();
  clearTimeout(renderTimer);  // this render replaces one scheduled by an edit
  renderNow();
});
$("ab").addEventListener("click", toggleAb);
document.addEventListener("keydown", (e) => {
  const t = e.target;
  if (t && (t.tagName === "INPUT" && t.type === "text" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
  if ((e.key === "t" || e.key === "T") && !e.ctrlKey && !e.metaKey && !e.altKey) { toggleAb(); e.preventDefault(); }
});
player.onEnded = () => { updatePlayButton(); setStatus("Finished. Press Play to hear it again."); };
$("position").addEventListener("input", () => player.seek(Number($("position").value)));
$("preset").addEventListener("change", () => choosePreset($("preset").value));
$("age-use").addEventListener("click", useAgeListener);
$("level").addEventListener("change", scheduleRender);
for (const id of ["aid-rule", "aid-wdrc", "aid-nr"]) $(id).addEventListener("change", scheduleRender);
$("clarity-use").addEventListener("click", useClarityListener);
$("upload").addEventListener("change", () => {
  const f = $("upload").files[0];
  if (!f) return;
  if (f.size > 100e6) { setStatus(`${f.name} is larger than 100 MB; choose a shorter file.`); return; }
  for (const r of document.querySelectorAll('input[name="sound"]')) r.checked = false;
  chooseSound(f.name, f);
});

// The microphone: recorded in the browser's codec, decoded and sent as WAV (wav_encoder.js).
let recorder = null;
$("record").addEventListener("click", async () => {
  const status = $("record-status");
  if (recorder) { recorder.stop(); return; }
  if (!navigator.mediaDevices || !window.MediaRecorder) { status.textContent = "This browser cannot record here (it needs http://127.0.0.1 or https)."; return; }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = async () => {
      stream.getTracks().forEach((t) => t.stop());
      recorder = null;
      $("record").setAttribute("aria-pressed", "false");
      $("record").textContent = "Record from the microphone";
      const decoded = await player.decode(await new Blob(chunks).arrayBuffer());
      const wav = encodeWavFloat32(decoded.getChannelData(0), decoded.sampleRate);
      status.textContent = `Recorded ${decoded.duration.toFixed(1)} s.`;
      chooseSound("your recording", new File([wav], "recording.wav", { type: "audio/wav" }));
    };
    recorder.start();
    $("record").setAttribute("aria-pressed", "true");
    $("record").textContent = "Stop recording";
    status.textContent = "Recording… speak, then press Stop.";
  } catch (e) {
    status.textContent = "No microphone: " + (e.message || e);
  }
});

// The film's arc (POST /api/arc): one render of the whole minute, its WAV and timeline picture in
// one JSON answer, played by the page's own <audio> (it is not an A/B: there is no "as recorded").
let arcUrls = [];
function fromBase64(text, type) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type }));
}
async function renderArc() {
  if (!state.sound) return;
  $("arc-render").disabled = true;
  $("arc-status").textContent = `Rendering the arc over ${state.sound.name}…`;
  try {
    const form = new FormData();
    form.append("audio", state.sound.blob, state.sound.blob.name || "sound.wav");
    form.append("level_db_spl", $("level").value);
    const doc = await (await post("/api/arc", form)).json();
    arcUrls.forEach((u) => URL.revokeObjectURL(u));
    arcUrls = [fromBase64(doc.wav_base64, "audio/wav"), fromBase64(doc.timeline_png_base64, "image/png")];
    $("arc-player").src = arcUrls[0];
    $("arc-timeline").src = arcUrls[1];
    // The marker runs over the picture's time axis only (its lanes, not its labels or colour bars).
    const plot = doc.timeline_plot;
    state.arcPlot = plot;
    const marker = $("arc-marker");
    marker.style.top = `${(100 * plot.top_px) / plot.height_px}%`;
    marker.style.bottom = `${100 - (100 * plot.bottom_px) / plot.height_px}%`;
    state.arcSeconds = doc.seconds;
    $("arc").hidden = false;
    const how = doc.copies > 1 ? `${state.sound.name} repeated ${doc.copies} times` : state.sound.name;
    $("arc-status").textContent = `The arc: ${doc.seconds.toFixed(0)} s of ${how}, at ${$("level").value} dB SPL.`;
  } catch (e) {
    $("arc-status").textContent = "The arc could not be rendered: " + e.message;
  } finally {
    $("arc-render").disabled = false;
  }
}
$("arc-render").addEventListener("click", renderArc);

function tick() {
  if (state.arcSeconds) {
    const p = state.arcPlot, at = Math.min(1, $("arc-player").currentTime / state.arcSeconds);
    $("arc-marker").style.left = `${(100 * (p.left_px + at * (p.right_px - p.left_px))) / p.width_px}%`;
  }
  if (player.duration() > 0) {
    const p = player.position();
    $("position").value = String(p);
    $("position-text").textContent = `${p.toFixed(1)} s of ${player.duration().toFixed(1)} s`;
  }
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);

Promise.all([loadPresets(), loadSamples()]).then(() => { document.body.dataset.ready = "1"; })
  .catch((e) => setStatus("The page could not reach the earshot server: " + e.message));
