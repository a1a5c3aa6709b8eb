// A microphone recording as a WAV file the server reads: the browser records in its own codec
// (WebM/Opus in Chromium), which libsndfile does not read, so the page decodes it and writes
// 32-bit float WAV (WAVE_FORMAT_IEEE_FLOAT, 3) of its first channel.
"use strict";

function encodeWavFloat32(samples, sampleRateHz) {
  const dataBytes = samples.length * 4;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const v = new DataView(buffer);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i)); };
  text(0, "RIFF"); v.setUint32(4, 36 + dataBytes, true); text(8, "WAVE");
  text(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 3, true); v.setUint16(22, 1, true);
  v.setUint32(24, sampleRateHz, true); v.setUint32(28, sampleRateHz * 4, true); v.setUint16(32, 4, true); v.setUint16(34, 32, true);
  text(36, "data"); v.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) v.setFloat32(44 + i * 4, samples[i], true);
  return new Blob([buffer], { type: "audio/wav" });
}
