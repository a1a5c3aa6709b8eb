// The electrodogram of an implanted ear (POST /api/electrodogram). The server's picture carries
// its own axes (time in s; each electrode with its band, basal at the top), the current colour
// bar in µA and a title naming the device (report/electrodogram_chart.hpp), so the page shows it
// as it is, with a caption from the answer's headers.
"use strict";

function showElectrodogram(figure, pngBlob, headers) {
  const seconds = Number(headers.get("X-Earshot-Seconds"));
  const electrodes = headers.get("X-Earshot-Electrodes-Active");
  figure.replaceChildren();
  const img = document.createElement("img");
  img.className = "dogram";
  img.src = URL.createObjectURL(pngBlob);
  img.alt = `Electrodogram of the ${headers.get("X-Earshot-Ear")} ear (${headers.get("X-Earshot-Device")}): ` +
    `pulses on each of ${electrodes} electrodes over ${seconds.toFixed(1)} seconds, darker the stronger`;
  const caption = document.createElement("figcaption");
  caption.className = "hint";
  caption.textContent = `${headers.get("X-Earshot-Pulses")} pulses in ${seconds.toFixed(1)} s on ${electrodes} electrodes. ` +
    "Each row is an electrode with the band of sound it carries: basal electrodes (top) carry high pitches, apical ones " +
    "(bottom) low pitches. The darker a mark, the stronger the pulse (the bar on the right, in µA); white: no pulse.";
  figure.append(img, caption);
  figure.hidden = false;
}
