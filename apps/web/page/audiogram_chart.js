// A clinical audiogram of one ear, editable: frequency on a log axis (125-8000 Hz), hearing level
// in dB HL growing downward (-10 at the top, 120 at the bottom), the right ear as red O, the left
// as blue X (the usual audiometric symbols, ASHA 1990 guidelines for audiometric symbols).
// A point moves by click or drag (snapped to 5 dB, the audiometer's step) or by the arrow keys.
"use strict";

const AUDIOGRAM_FREQUENCIES_HZ = [250, 500, 1000, 2000, 3000, 4000, 6000, 8000];

class AudiogramChart {
  // side: "right" or "left"; onChange(levels) after every edit.
  constructor(figure, side, onChange) {
    this.side = side;
    this.onChange = onChange;
    this.levels = AUDIOGRAM_FREQUENCIES_HZ.map(() => 0);
    this.note = "";
    this.geom = { w: 360, h: 300, left: 52, right: 14, top: 14, bottom: 40, fMin: 125, fMax: 8000, dbMin: -10, dbMax: 120 };
    const caption = document.createElement("figcaption");
    caption.id = "chart-" + side + "-caption";
    caption.style.color = side === "right" ? "var(--right)" : "var(--left)";
    this.caption = caption;
    figure.appendChild(caption);
    const ns = "http://www.w3.org/2000/svg";
    this.svg = document.createElementNS(ns, "svg");
    this.svg.setAttribute("viewBox", `0 0 ${this.geom.w} ${this.geom.h}`);
    this.svg.setAttribute("role", "group");
    this.svg.setAttribute("aria-labelledby", caption.id);
    figure.appendChild(this.svg);
    this.drawAxes(ns);
    this.line = document.createElementNS(ns, "polyline");
    this.line.setAttribute("fill", "none");
    this.line.setAttribute("stroke", this.colour());
    this.line.setAttribute("stroke-width", "1.5");
    this.svg.appendChild(this.line);
    this.points = AUDIOGRAM_FREQUENCIES_HZ.map((f, i) => this.makePoint(ns, f, i));
    this.dragging = -1;
    this.svg.addEventListener("pointerdown", (e) => this.pointerDown(e));
    this.svg.addEventListener("pointermove", (e) => this.pointerMove(e));
    this.svg.addEventListener("pointerup", (e) => this.pointerUp(e));
    this.svg.addEventListener("pointercancel", (e) => this.pointerUp(e));
    this.render();
  }

  colour() { return this.side === "right" ? "#c0392b" : "#1f5fa8"; }
  x(f) { const g = this.geom; return g.left + (g.w - g.left - g.right) * Math.log(f / g.fMin) / Math.log(g.fMax / g.fMin); }
  y(db) { const g = this.geom; return g.top + (g.h - g.top - g.bottom) * (db - g.dbMin) / (g.dbMax - g.dbMin); }
  dbAt(y) { const g = this.geom; return g.dbMin + (y - g.top) * (g.dbMax - g.dbMin) / (g.h - g.top - g.bottom); }

  drawAxes(ns) {
    const g = this.geom;
    const add = (tag, attrs, text) => {
      const el = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      if (text !== undefined) el.textContent = text;
      this.svg.appendChild(el);
      return el;
    };
    for (let db = -10; db <= 120; db += 10) {
      add("line", { x1: g.left, x2: g.w - g.right, y1: this.y(db), y2: this.y(db), class: "grid" });
      add("text", { x: g.left - 6, y: this.y(db) + 4, "text-anchor": "end" }, String(db));
    }
    for (const f of [125, 250, 500, 1000, 2000, 4000, 8000]) {
      add("line", { x1: this.x(f), x2: this.x(f), y1: g.top, y2: g.h - g.bottom, class: "grid" });
      add("text", { x: this.x(f), y: g.h - g.bottom + 14, "text-anchor": "middle" }, f >= 1000 ? (f / 1000) + "k" : String(f));
    }
    add("rect", { x: g.left, y: g.top, width: g.w - g.left - g.right, height: g.h - g.top - g.bottom, class: "axis" });
    add("text", { x: (g.left + g.w - g.right) / 2, y: g.h - 6, "text-anchor": "middle" }, "Frequency (Hz)");
    add("text", { x: 12, y: (g.top + g.h - g.bottom) / 2, "text-anchor": "middle",
                  transform: `rotate(-90 12 ${(g.top + g.h - g.bottom) / 2})` }, "Hearing level (dB HL)");
  }

  makePoint(ns, f, i) {
    const group = document.createElementNS(ns, "g");
    group.setAttribute("class", "point " + this.side);
    group.setAttribute("tabindex", "0");
    group.setAttribute("role", "slider");
    group.setAttribute("aria-valuemin", "-10");
    group.setAttribute("aria-valuemax", "120");
    group.setAttribute("data-frequency-hz", String(f));
    const halo = document.createElementNS(ns, "circle");
    halo.setAttribute("r", "9");
    halo.setAttribute("fill", "transparent");
    halo.setAttribute("class", "halo");
    group.appendChild(halo);
    const c = this.colour();
    if (this.side === "right") {
      const o = document.createElementNS(ns, "circle");
      o.setAttribute("r", "5.5");
      o.setAttribute("fill", "white");
      o.setAttribute("stroke", c);
      o.setAttribute("stroke-width", "2");
      group.appendChild(o);
    } else {
      for (const [dx, dy] of [[1, 1], [1, -1]]) {
        const l = document.createElementNS(ns, "line");
        l.setAttribute("x1", String(-5 * dx)); l.setAttribute("y1", String(-5 * dy));
        l.setAttribute("x2", String(5 * dx)); l.setAttribute("y2", String(5 * dy));
        l.setAttribute("stroke", c); l.setAttribute("stroke-width", "2.2");
        group.appendChild(l);
      }
    }
    group.addEventListener("keydown", (e) => this.keyDown(e, i));
    this.svg.appendChild(group);
    return group;
  }

  setLevels(levels, note) {
    this.levels = levels.map((v) => Math.max(-10, Math.min(120, v)));
    this.note = note || "";
    this.render();
  }

  render() {
    const sideName = this.side === "right" ? "Right ear (O)" : "Left ear (X)";
    this.caption.textContent = sideName + (this.note ? ": " + this.note : "");
    this.line.setAttribute("points", AUDIOGRAM_FREQUENCIES_HZ.map((f, i) => `${this.x(f)},${this.y(this.levels[i])}`).join(" "));
    this.points.forEach((p, i) => {
      const f = AUDIOGRAM_FREQUENCIES_HZ[i];
      p.setAttribute("transform", `translate(${this.x(f)},${this.y(this.levels[i])})`);
      p.setAttribute("aria-valuenow", String(this.levels[i]));
      p.setAttribute("aria-valuetext", `${this.levels[i]} dB HL`);
      p.setAttribute("aria-label", `${this.side === "right" ? "Right" : "Left"} ear, ${f} Hz`);
      p.setAttribute("data-level-db-hl", String(this.levels[i]));
    });
  }

  edit(i, db) {
    const v = Math.max(-10, Math.min(120, Math.round(db / 5) * 5));
    if (v === this.levels[i] && !this.note) return;
    this.levels[i] = v;
    this.note = "";
    this.render();
    this.onChange(this.levels.slice());
  }

  svgPoint(e) {
    const r = this.svg.getBoundingClientRect();
    return { x: (e.clientX - r.left) * this.geom.w / r.width, y: (e.clientY - r.top) * this.geom.h / r.height };
  }

  nearestColumn(x) {
    let best = 0;
    AUDIOGRAM_FREQUENCIES_HZ.forEach((f, i) => { if (Math.abs(this.x(f) - x) < Math.abs(this.x(AUDIOGRAM_FREQUENCIES_HZ[best]) - x)) best = i; });
    return best;
  }

  pointerDown(e) {
    const p = this.svgPoint(e);
    this.dragging = this.nearestColumn(p.x);
    this.svg.setPointerCapture(e.pointerId);
    this.points[this.dragging].focus();
    this.moved = false;
    this.preview(p.y);
    e.preventDefault();
  }

  // While dragging, the point follows without a new render; the release commits it.
  preview(y) {
    const v = Math.max(-10, Math.min(120, Math.round(this.dbAt(y) / 5) * 5));
    this.levels[this.dragging] = v;
    this.render();
  }

  pointerMove(e) {
    if (this.dragging < 0) return;
    this.preview(this.svgPoint(e).y);
  }

  pointerUp(e) {
    if (this.dragging < 0) return;
    const i = this.dragging;
    this.dragging = -1;
    if (this.svg.hasPointerCapture(e.pointerId)) this.svg.releasePointerCapture(e.pointerId);
    this.note = "";
    this.render();
    this.onChange(this.levels.slice());
    this.points[i].focus();
  }

  keyDown(e, i) {
    const steps = { ArrowUp: -5, ArrowDown: 5, PageUp: -20, PageDown: 20 };
    if (e.key in steps) {
      this.edit(i, this.levels[i] + steps[e.key]);
      e.preventDefault();
    } else if (e.key === "ArrowRight" && i + 1 < this.points.length) {
      this.points[i + 1].focus(); e.preventDefault();
    } else if (e.key === "ArrowLeft" && i > 0) {
      this.points[i - 1].focus(); e.preventDefault();
    } else if (e.key === "Home") {
      this.edit(i, -10); e.preventDefault();
    } else if (e.key === "End") {
      this.edit(i, 120); e.preventDefault();
    }
  }
}

// An audiogram's threshold at f: linear in dB on log frequency between points, flat beyond the
// ends (the engine's own reading, audiology/audiogram.hpp).
function audiogramAt(points, f) {
  if (!points.length) return 0;
  if (f <= points[0].frequency_hz) return points[0].level_db_hl;
  const last = points[points.length - 1];
  if (f >= last.frequency_hz) return last.level_db_hl;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1], b = points[k];
    if (f <= b.frequency_hz) {
      const t = Math.log(f / a.frequency_hz) / Math.log(b.frequency_hz / a.frequency_hz);
      return a.level_db_hl + t * (b.level_db_hl - a.level_db_hl);
    }
  }
  return last.level_db_hl;
}
