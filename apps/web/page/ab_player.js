// Synchronised A/B playback: the sound as recorded (A) and as the listener hears it (B) start
// together on one AudioContext clock, each through its own gain; the switch moves the gains in
// 10 ms, so the two are always at the same moment of the sound (the render is aligned with its
// input sample for sample: earshot removes its latency).
"use strict";

class AbPlayer {
  constructor() {
    this.ctx = null;
    this.buffers = { a: null, b: null };
    this.sources = [];
    this.heard = true;          // B (as heard) by default
    this.playing = false;
    this.startedAt = 0;         // context time at which offset 0 would have played
    this.offset = 0;            // seconds into the sound when paused
    this.onEnded = null;
  }

  context() {
    if (!this.ctx) {
      this.ctx = new AudioContext();
      this.gainA = this.ctx.createGain();
      this.gainB = this.ctx.createGain();
      this.gainA.connect(this.ctx.destination);
      this.gainB.connect(this.ctx.destination);
      this.applyGains(0);
    }
    return this.ctx;
  }

  async decode(arrayBuffer) {
    return await this.context().decodeAudioData(arrayBuffer.slice(0));
  }

  duration() { return this.buffers.a ? this.buffers.a.duration : 0; }

  position() {
    if (!this.playing) return this.offset;
    return Math.min(this.duration(), Math.max(0, this.ctx.currentTime - this.startedAt));
  }

  applyGains(rampS) {
    const t = this.ctx.currentTime;
    const a = this.heard ? 0 : 1, b = this.heard ? 1 : 0;
    for (const [g, v] of [[this.gainA, a], [this.gainB, b]]) {
      g.gain.cancelScheduledValues(t);
      if (rampS > 0) g.gain.setTargetAtTime(v, t, rampS / 3);
      else g.gain.setValueAtTime(v, t);
    }
  }

  setHeard(heard) {
    this.heard = heard;
    if (this.ctx) this.applyGains(0.01);
  }

  // New buffers (a new render); playback continues from the same moment if it was running.
  setBuffers(a, b) {
    const was = this.playing, at = this.position();
    if (was) this.stopSources();
    this.buffers = { a, b };
    this.offset = Math.min(at, this.duration());
    if (was) return this.play(this.offset);
    return null;
  }

  // Starts both at `from` seconds; returns the performance.now() time at which sound leaves.
  play(from) {
    const ctx = this.context();
    if (!this.buffers.a || !this.buffers.b) return null;
    this.stopSources();
    const lead = 0.03;  // both sources are scheduled for one instant a little ahead
    const when = ctx.currentTime + lead;
    const start = from >= this.duration() ? 0 : from;
    this.sources = [[this.buffers.a, this.gainA], [this.buffers.b, this.gainB]].map(([buffer, gain]) => {
      const s = ctx.createBufferSource();
      s.buffer = buffer;
      s.connect(gain);
      s.start(when, start);
      return s;
    });
    this.sources[0].onended = () => {
      if (this.playing && this.position() >= this.duration() - 0.05) {
        this.playing = false;
        this.offset = 0;
        if (this.onEnded) this.onEnded();
      }
    };
    this.startedAt = when - start;
    this.playing = true;
    const outputLatencyS = (ctx.outputLatency || 0) + (ctx.baseLatency || 0);
    return performance.now() + (when - ctx.currentTime + outputLatencyS) * 1000;
  }

  stopSources() {
    for (const s of this.sources) {
      s.onended = null;
      try { s.stop(); } catch (e) { /* already stopped */ }
      s.disconnect();
    }
    this.sources = [];
  }

  pause() {
    this.offset = this.position();
    this.stopSources();
    this.playing = false;
  }

  seek(seconds) {
    this.offset = Math.max(0, Math.min(seconds, this.duration()));
    if (this.playing) this.play(this.offset);
  }
}
