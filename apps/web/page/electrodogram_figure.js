// The electrodogram of an implanted ear (POST /api/electrodogram) with its axes: the server's
// picture is the pulses alone (electrodes as rows, basal at the top; time left to right; colour
// the current between the electrode's threshold T and comfort level C), so the page draws the
// time axis in seconds, the electrode axis and the colour key around it.
"use strict";

function niceStepS(seconds) {
  for (const step of [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120]) if (seconds / step <= 8) return step;
  return 300;
}

function showElectrodogram(figure, pngBlob, headers) {
  const seconds = Number(headers.get("X-Earshot-Seconds"));
  const electrodes = headers.get("X-Earshot-Electrodes-Active");
  figure.replaceChildren();
  const caption = document.createElement("figcaption");
  caption.textContent = `Electrodogram, ${headers.get("X-Earshot-Ear")} ear: ${headers.get("X-Earshot-Device")}; ` +
    `${headers.get("X-Earshot-Pulses")} pulses in ${seconds.toFixed(1)} s on ${electrodes} electrodes`;
  const plot = document.createElement("div");
  plot.className = "dogram-plot";
  const ylabel = document.createElement("div");
  ylabel.className = "dogram-ylabel";
  ylabel.innerHTML = '<span>basal</span><span class="name">Electrode</span><span>apical</span>';
  const img = document.createElement("img");
  img.src = URL.createObjectURL(pngBlob);
  img.alt = `Pulses on each of ${electrodes} electrodes over ${seconds.toFixed(1)} seconds`;
  const xaxis = document.createElement("div");
  xaxis.className = "dogram-xaxis";
  const step = niceStepS(seconds);
  for (let t = 0; t <= seconds + 1e-9; t += step) {
    const tick = document.createElement("span");
    tick.style.left = `${(100 * t) / seconds}%`;
    tick.textContent = Number(t.toFixed(1)).toString();
    xaxis.appendChild(tick);
  }
  const xlabel = document.createElement("div");
  xlabel.className = "dogram-xlabel";
  xlabel.textContent = "Time (s)";
  plot.append(ylabel, img, document.createElement("div"), xaxis, document.createElement("div"), xlabel);
  const key = document.createElement("p");
  key.className = "hint";
  key.innerHTML = 'Colour: each pulse\'s current, from the electrode\'s threshold T ' +
    '<span class="dogram-key" role="img" aria-label="colour scale from dark blue at T through red and orange to pale yellow at C"></span>' +
    ' to its comfort level C; black: no pulse. Basal electrodes (top) carry high pitches, apical ones (bottom) low pitches.';
  figure.append(caption, plot, key);
  figure.hidden = false;
}
