/* "Try it: draw a digit": the book's trained networks, run in the reader's browser.
 *
 * Plain JavaScript, no library. The build exports the lesson model and the
 * contrast model (mnist_lesson/export.py) into _static/lesson-weights/: a
 * manifest (manifest.json) and one little-endian binary file of float32
 * weights and uint8 sample test images. This script
 *
 *   - runs both dense networks (784-H-10, ReLU then softmax) on a 28x28 input;
 *   - turns a drawing into that input the way MNIST was made: crop to the ink,
 *     scale into a 20x20 box (keeping the aspect ratio, averaging the covered
 *     area, which anti-aliases), centre by the centre of mass in 28x28;
 *   - shows the input, the ten probabilities, the hidden activations and the
 *     weight images of the most active units, for both models.
 *
 * Stable entry points (used by the tests and open to curious readers in the
 * browser console), on window.mnistLesson:
 *   ready            a Promise, resolved when the weights are loaded
 *   predict(pixels, model = "lesson")  784 numbers in [0, 1], row-major -> 10 probabilities
 *   hidden(pixels, model = "lesson")   -> the hidden layer's activations
 *   input()          the page's current 28x28 input (784 numbers), as the networks receive it
 *   show(pixels)     put a 28x28 image (784 numbers in [0, 1]) on the page, as a test image
 *   manifest         the export's manifest (settings, cache keys, shapes)
 *   refresh()        recompute everything from the drawing; returns the milliseconds it took
 */
(function () {
  "use strict";

  const SIDE = 28;
  const N_PIXELS = SIDE * SIDE;
  let BOX = 20; // MNIST scales each digit into a 20x20 box inside the 28x28 image (read from the manifest)
  const PAD = 280; // resolution of the drawing surface (10 pad pixels per input pixel)
  const TOP_UNITS = 6;
  const MODEL_TITLES = { lesson: "Lesson model", contrast: "Contrast model" };
  const script = document.currentScript;
  const weightsBase = new URL("../lesson-weights/", script ? script.src : document.baseURI);

  const state = {
    manifest: null,
    models: {},
    samples: null,
    input: new Float32Array(N_PIXELS),
    sample: null, // {index, label} while a test image is shown untouched
    geometry: null, // where the preprocessing put the digit (for the overlay)
  };

  /* ---------- the networks ---------- */

  function view(buffer, entry, Kind) {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    return new Kind(buffer, entry.offset, count);
  }

  function loadModel(manifest, buffer, name) {
    const layers = manifest.models[name].layers.map((layer) => {
      const kernel = manifest.arrays[layer.kernel];
      return {
        name: layer.name,
        activation: layer.activation,
        nIn: kernel.shape[0],
        nOut: kernel.shape[1],
        kernel: view(buffer, kernel, Float32Array),
        bias: view(buffer, manifest.arrays[layer.bias], Float32Array),
      };
    });
    if (layers.length !== 2 || layers[0].nIn !== N_PIXELS) {
      throw new Error(`model ${name}: expected two dense layers on ${N_PIXELS} inputs`);
    }
    return { name, layers, cacheKey: manifest.models[name].cache_key, units: layers[0].nOut };
  }

  function dense(layer, x, skipZeros) {
    const out = new Float64Array(layer.nOut);
    for (let j = 0; j < layer.nOut; j++) out[j] = layer.bias[j];
    const w = layer.kernel;
    const n = layer.nOut;
    for (let i = 0; i < layer.nIn; i++) {
      const xi = x[i];
      if (skipZeros && xi === 0) continue; // most pixels are background
      const row = i * n;
      for (let j = 0; j < n; j++) out[j] += xi * w[row + j];
    }
    return out;
  }

  function activate(values, activation) {
    if (activation === "relu") {
      for (let j = 0; j < values.length; j++) if (values[j] < 0) values[j] = 0;
    } else if (activation === "softmax") {
      let max = -Infinity;
      for (const v of values) max = Math.max(max, v);
      let sum = 0;
      for (let j = 0; j < values.length; j++) sum += (values[j] = Math.exp(values[j] - max));
      for (let j = 0; j < values.length; j++) values[j] /= sum;
    }
    return values;
  }

  function forward(model, x) {
    const [first, second] = model.layers;
    const hidden = activate(dense(first, x, true), first.activation);
    const logits = dense(second, hidden, false);
    const probabilities = activate(logits.slice(), second.activation);
    return { hidden, logits, probabilities };
  }

  function checkPixels(pixels, what) {
    const where = `mnistLesson.${what}`;
    if (pixels == null || typeof pixels.length !== "number") {
      throw new TypeError(`${where}: pixels must be an array of ${N_PIXELS} numbers in [0, 1] (a 28x28 image, row-major), got ${typeof pixels}`);
    }
    if (pixels.length !== N_PIXELS) {
      throw new RangeError(`${where}: pixels must hold ${N_PIXELS} numbers (28x28, row-major), got ${pixels.length}; flatten the image and scale it to [0, 1]`);
    }
    const x = new Float64Array(N_PIXELS);
    for (let i = 0; i < N_PIXELS; i++) {
      const v = pixels[i];
      if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
        throw new RangeError(`${where}: pixel ${i} is ${v}; every pixel must be a number in [0, 1] (divide 0-255 values by 255)`);
      }
      x[i] = v;
    }
    return x;
  }

  function modelNamed(name, what) {
    if (!state.manifest) {
      throw new Error(`mnistLesson.${what}: the weights are still loading; await mnistLesson.ready first`);
    }
    const model = state.models[name];
    if (!model) {
      throw new Error(`mnistLesson.${what}: no model ${JSON.stringify(name)}; choose one of ${Object.keys(state.models).join(", ")}`);
    }
    return model;
  }

  /* ---------- MNIST-style preprocessing ---------- */

  // For each target cell of a 1-D area resampling from n source cells to m, the
  // source cells it covers and by how much (the weights of a cell sum to 1).
  function areaWeights(n, m) {
    const scale = n / m;
    const out = [];
    for (let t = 0; t < m; t++) {
      const lo = t * scale;
      const hi = lo + scale;
      const cells = [];
      for (let s = Math.floor(lo); s < Math.min(n, Math.ceil(hi)); s++) {
        const overlap = Math.min(hi, s + 1) - Math.max(lo, s);
        if (overlap > 1e-9) cells.push([s, overlap / scale]);
      }
      out.push(cells);
    }
    return out;
  }

  // ink: Float32Array of size*size in [0, 1]. Returns the 28x28 input and where the digit went.
  function preprocess(ink, size) {
    let x0 = size, y0 = size, x1 = -1, y1 = -1;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (ink[y * size + x] > 0.02) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    const out = new Float32Array(N_PIXELS);
    if (x1 < 0) return { pixels: out, geometry: null };
    // 1. crop to the ink; 2. scale the longer side to 20 pixels, averaging areas
    const cw = x1 - x0 + 1, ch = y1 - y0 + 1;
    const scale = BOX / Math.max(cw, ch);
    const tw = Math.max(1, Math.min(BOX, Math.round(cw * scale)));
    const th = Math.max(1, Math.min(BOX, Math.round(ch * scale)));
    const wx = areaWeights(cw, tw), wy = areaWeights(ch, th);
    const rows = new Float64Array(ch * tw); // columns resampled first
    for (let y = 0; y < ch; y++) {
      const base = (y0 + y) * size + x0;
      for (let t = 0; t < tw; t++) {
        let v = 0;
        for (const [s, w] of wx[t]) v += w * ink[base + s];
        rows[y * tw + t] = v;
      }
    }
    const small = new Float64Array(th * tw);
    let max = 0;
    for (let t = 0; t < th; t++) {
      for (let c = 0; c < tw; c++) {
        let v = 0;
        for (const [s, w] of wy[t]) v += w * rows[s * tw + c];
        small[t * tw + c] = v;
        if (v > max) max = v;
      }
    }
    // 3. stretch the grey levels so the darkest stroke is full ink, as in MNIST
    let mass = 0, mx = 0, my = 0;
    for (let t = 0; t < th; t++) {
      for (let c = 0; c < tw; c++) {
        const v = (small[t * tw + c] /= max);
        mass += v;
        mx += v * (c + 0.5);
        my += v * (t + 0.5);
      }
    }
    // 4. shift so that the centre of mass sits at the centre of the 28x28 field
    const clamp = (v, hi) => Math.max(0, Math.min(hi, v));
    const left = clamp(Math.round(SIDE / 2 - mx / mass), SIDE - tw);
    const top = clamp(Math.round(SIDE / 2 - my / mass), SIDE - th);
    for (let t = 0; t < th; t++) {
      for (let c = 0; c < tw; c++) out[(top + t) * SIDE + left + c] = Math.min(1, small[t * tw + c]);
    }
    return {
      pixels: out,
      geometry: { left, top, width: tw, height: th, cx: left + mx / mass, cy: top + my / mass },
    };
  }

  /* ---------- the page ---------- */

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function cssColor(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // Diverging colours for a weight image: blue negative, white zero, red positive.
  function diverging(v) {
    const a = Math.min(1, Math.abs(v));
    return v >= 0
      ? [255 - a * (255 - 178), 255 - a * (255 - 24), 255 - a * (255 - 43)]
      : [255 - a * (255 - 33), 255 - a * (255 - 102), 255 - a * (255 - 172)];
  }

  function weightImage(model, unit) {
    const layer = model.layers[0];
    const canvas = el("canvas", { width: SIDE, height: SIDE, class: "mnist-draw-weights" });
    const context = canvas.getContext("2d");
    const image = context.createImageData(SIDE, SIDE);
    let scale = 0;
    for (let i = 0; i < N_PIXELS; i++) scale = Math.max(scale, Math.abs(layer.kernel[i * layer.nOut + unit]));
    for (let i = 0; i < N_PIXELS; i++) {
      const [r, g, b] = diverging(layer.kernel[i * layer.nOut + unit] / (scale || 1));
      image.data.set([r, g, b, 255], 4 * i);
    }
    context.putImageData(image, 0, 0);
    return canvas;
  }

  function drawInput(canvas, pixels, geometry) {
    const context = canvas.getContext("2d");
    const cell = canvas.width / SIDE;
    context.fillStyle = "#000";
    context.fillRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < N_PIXELS; i++) {
      if (pixels[i] <= 0) continue;
      const g = Math.round(255 * pixels[i]);
      context.fillStyle = `rgb(${g},${g},${g})`;
      context.fillRect((i % SIDE) * cell, Math.floor(i / SIDE) * cell, cell, cell);
    }
    if (geometry) {
      context.strokeStyle = "#ffb000";
      context.lineWidth = 1.5;
      context.setLineDash([4, 3]);
      context.strokeRect(geometry.left * cell, geometry.top * cell, geometry.width * cell, geometry.height * cell);
      context.setLineDash([]);
      const cx = geometry.cx * cell, cy = geometry.cy * cell;
      context.beginPath();
      context.moveTo(cx - 6, cy); context.lineTo(cx + 6, cy);
      context.moveTo(cx, cy - 6); context.lineTo(cx, cy + 6);
      context.stroke();
    }
  }

  function percent(p) {
    return p >= 0.9995 ? "100%" : p < 0.0005 ? "0%" : `${(100 * p).toFixed(1)}%`;
  }

  class ModelPanel {
    constructor(model) {
      this.model = model;
      const id = `mnist-draw-${model.name}`;
      const units = model.units;
      this.answer = el("p", { class: "mnist-draw-answer" });
      this.bars = [];
      const list = el("ol", { class: "mnist-draw-bars", start: "0", "aria-label": `${MODEL_TITLES[model.name]}: probability of each digit` });
      for (let d = 0; d < 10; d++) {
        const fill = el("span", { class: "mnist-draw-bar-fill" });
        const value = el("span", { class: "mnist-draw-bar-value" });
        list.append(el("li", {}, el("span", { class: "mnist-draw-bar-digit", text: String(d) }),
          el("span", { class: "mnist-draw-bar-track", "aria-hidden": "true" }, fill), value));
        this.bars.push({ fill, value });
      }
      const columns = Math.min(units, 16);
      const rows = Math.ceil(units / columns);
      this.strip = el("canvas", {
        width: columns * 12, height: rows * 12, class: "mnist-draw-strip", role: "img",
        "aria-label": `${MODEL_TITLES[model.name]}: the activations of its ${units} hidden unit${units === 1 ? "" : "s"}, brighter for stronger`,
      });
      this.stripGrid = { columns, rows };
      this.units = el("ul", { class: "mnist-draw-units" });
      this.weightCanvases = [];
      for (let u = 0; u < units; u++) this.weightCanvases.push(weightImage(model, u));
      this.section = el("section", { class: "mnist-draw-model", "aria-labelledby": `${id}-title` },
        el("h3", { id: `${id}-title`, text: `${MODEL_TITLES[model.name]}: 784-${units}-10` }),
        this.answer, list,
        el("h4", { text: `Hidden layer: ${units} unit${units === 1 ? "" : "s"}` }),
        this.strip,
        el("p", { class: "mnist-draw-note", text: units > 1
          ? `The ${Math.min(TOP_UNITS, units)} most active units and their weights (red: ink there raises the unit, blue: lowers it):`
          : "Its only unit and its weights (red: ink there raises the unit, blue: lowers it):" }),
        this.units);
    }

    update(result, empty) {
      const { probabilities, hidden } = result;
      let best = 0;
      for (let d = 1; d < 10; d++) if (probabilities[d] > probabilities[best]) best = d;
      this.best = best;
      this.answer.textContent = empty
        ? "Draw a digit to see what it reads."
        : `Reads a ${best} (probability ${percent(probabilities[best])})`;
      this.bars.forEach(({ fill, value }, d) => {
        fill.style.width = `${(100 * probabilities[d]).toFixed(2)}%`;
        fill.classList.toggle("mnist-draw-best", d === best && !empty);
        value.textContent = percent(probabilities[d]);
      });
      // the strip: one cell per unit, scaled by the strongest activation
      const context = this.strip.getContext("2d");
      const { columns } = this.stripGrid;
      let max = 0;
      for (const v of hidden) max = Math.max(max, v);
      context.fillStyle = "#000";
      context.fillRect(0, 0, this.strip.width, this.strip.height);
      hidden.forEach((v, u) => {
        const a = max > 0 ? v / max : 0;
        context.fillStyle = `rgb(${Math.round(255 * a)},${Math.round(176 * a)},${Math.round(40 * a)})`;
        context.fillRect((u % columns) * 12 + 1, Math.floor(u / columns) * 12 + 1, 10, 10);
      });
      // the most active units, with what each adds to the predicted digit's score
      const order = Array.from(hidden.keys()).sort((a, b) => hidden[b] - hidden[a]).slice(0, TOP_UNITS);
      const output = this.model.layers[1];
      this.units.replaceChildren(...order.map((u) => {
        const push = hidden[u] * output.kernel[u * output.nOut + best];
        const item = el("li", {}, this.weightCanvases[u],
          el("span", { text: `unit ${u}` }),
          el("span", { text: `active ${hidden[u].toFixed(2)}` }),
          el("span", { text: hidden[u] > 0 ? `${push >= 0 ? "+" : "−"}${Math.abs(push).toFixed(2)} for ${best}` : "silent" }));
        this.weightCanvases[u].setAttribute("role", "img");
        this.weightCanvases[u].setAttribute("aria-label", `weights of unit ${u}`);
        return item;
      }));
    }
  }

  function buildPage(root) {
    const pad = el("canvas", {
      width: PAD, height: PAD, class: "mnist-draw-pad", tabindex: "0", role: "img",
      "aria-label": "Drawing square. Draw a digit with the mouse, a pen or a finger; from the keyboard, arrow keys draw and Shift with an arrow moves the pen without drawing.",
    });
    const ink = document.createElement("canvas");
    ink.width = ink.height = PAD;
    const inkContext = ink.getContext("2d", { willReadFrequently: true });
    const clear = el("button", { type: "button", class: "btn btn-sm mnist-draw-button", text: "Clear" });
    const random = el("button", { type: "button", class: "btn btn-sm mnist-draw-button", text: "Random test image" });
    const widthInput = el("input", { type: "range", min: "8", max: "40", step: "2", value: "20", id: "mnist-draw-width" });
    const widthLabel = el("label", { for: "mnist-draw-width", text: "Pen width" });
    const status = el("p", { class: "mnist-draw-status", role: "status", "aria-live": "polite" });
    const inputCanvas = el("canvas", {
      width: SIDE * 6, height: SIDE * 6, class: "mnist-draw-input", role: "img",
      "aria-label": `The ${SIDE} by ${SIDE} input the networks receive, with the box the digit was scaled into and its centre of mass`,
    });
    const inputNote = el("p", { class: "mnist-draw-note" });
    const panels = ["lesson", "contrast"].map((name) => new ModelPanel(state.models[name]));
    root.replaceChildren(
      el("div", { class: "mnist-draw-top" },
        el("div", { class: "mnist-draw-pad-box" }, pad,
          el("div", { class: "mnist-draw-controls" }, clear, random, el("span", { class: "mnist-draw-width" }, widthLabel, widthInput)),
          status),
        el("figure", { class: "mnist-draw-input-box" }, inputCanvas,
          el("figcaption", { text: `What the networks receive: ${SIDE}×${SIDE} pixels. Dashed: the box (at most ${BOX}×${BOX}) the ink was scaled into; cross: its centre of mass.` }),
          inputNote)),
      el("div", { class: "mnist-draw-models" }, ...panels.map((p) => p.section)));

    let dirty = false, pen = null, drawn = false;
    const alpha = new Float32Array(PAD * PAD); // the ink, reused by every update
    const cursor = { x: PAD / 2, y: PAD / 2, visible: false };

    // The ink is kept as alpha only; the pad shows it in the theme's text colour,
    // and a switch between light and dark mode repaints it.
    const colors = {};
    const readColors = () => {
      colors.ink = cssColor("--pst-color-text-base", "#222");
      colors.cursor = cssColor("--pst-color-primary", "#0a7d91");
    };
    readColors();
    new MutationObserver(() => { readColors(); renderPad(); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

    function renderPad() {
      const context = pad.getContext("2d");
      context.clearRect(0, 0, PAD, PAD);
      context.drawImage(ink, 0, 0);
      context.globalCompositeOperation = "source-in";
      context.fillStyle = colors.ink;
      context.fillRect(0, 0, PAD, PAD);
      context.globalCompositeOperation = "source-over";
      if (cursor.visible) {
        context.strokeStyle = colors.cursor;
        context.lineWidth = 2;
        context.beginPath();
        context.arc(cursor.x, cursor.y, Number(widthInput.value) / 2 + 3, 0, 2 * Math.PI);
        context.stroke();
      }
    }

    function announce() {
      if (!drawn && !state.sample) { status.textContent = ""; return; }
      const [lesson, contrast] = panels;
      const what = state.sample && state.sample.label !== null ? `Test image ${state.sample.index} (a ${state.sample.label}): ` : "";
      const says = `the lesson model reads a ${lesson.best}, the contrast model a ${contrast.best}.`;
      status.textContent = what ? what + says : says[0].toUpperCase() + says.slice(1);
    }

    function refresh() {
      const started = performance.now();
      if (!state.sample) {
        const data = inkContext.getImageData(0, 0, PAD, PAD).data;
        for (let i = 0; i < alpha.length; i++) alpha[i] = data[4 * i + 3] / 255;
        const { pixels, geometry } = preprocess(alpha, PAD);
        state.input = pixels;
        state.geometry = geometry;
      }
      const x = Float64Array.from(state.input);
      const empty = !x.some((v) => v > 0);
      panels.forEach((panel) => panel.update(forward(panel.model, x), empty));
      drawInput(inputCanvas, state.input, state.sample ? null : state.geometry);
      inputNote.textContent = state.sample
        ? (state.sample.label === null
          ? "The image given to mnistLesson.show, as given."
          : `Test image ${state.sample.index} of the MNIST test set, labelled ${state.sample.label}, exactly as stored.`) +
          " Draw on it to change it (it is then preprocessed like a drawing)."
        : empty ? "Nothing drawn yet." : "Your drawing after MNIST-style preprocessing.";
      renderPad();
      dirty = false;
      return performance.now() - started;
    }

    function schedule() {
      if (!dirty) {
        dirty = true;
        requestAnimationFrame(refresh);
      }
    }

    function stroke(from, to) {
      inkContext.strokeStyle = "#000";
      inkContext.fillStyle = "#000";
      inkContext.lineWidth = Number(widthInput.value);
      inkContext.lineCap = "round";
      inkContext.lineJoin = "round";
      inkContext.beginPath();
      if (from.x === to.x && from.y === to.y) {
        inkContext.arc(to.x, to.y, inkContext.lineWidth / 2, 0, 2 * Math.PI);
        inkContext.fill();
      } else {
        inkContext.moveTo(from.x, from.y);
        inkContext.lineTo(to.x, to.y);
        inkContext.stroke();
      }
    }

    // A test image becomes ink when the reader draws on it.
    function inkFromSample() {
      if (!state.sample) return;
      const small = document.createElement("canvas");
      small.width = small.height = SIDE;
      const context = small.getContext("2d");
      const image = context.createImageData(SIDE, SIDE);
      state.input.forEach((v, i) => { image.data[4 * i + 3] = Math.round(255 * v); });
      context.putImageData(image, 0, 0);
      inkContext.clearRect(0, 0, PAD, PAD);
      inkContext.imageSmoothingEnabled = true;
      inkContext.drawImage(small, 0, 0, PAD, PAD);
      state.sample = null;
    }

    function point(event) {
      const box = pad.getBoundingClientRect();
      return { x: ((event.clientX - box.left) / box.width) * PAD, y: ((event.clientY - box.top) / box.height) * PAD };
    }

    pad.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 && event.pointerType === "mouse") return;
      event.preventDefault();
      pad.setPointerCapture(event.pointerId);
      inkFromSample();
      pen = point(event);
      stroke(pen, pen);
      drawn = true;
      cursor.visible = false;
      schedule();
    });
    pad.addEventListener("pointermove", (event) => {
      if (!pen) return;
      event.preventDefault();
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      for (const e of events.length ? events : [event]) {
        const next = point(e);
        stroke(pen, next);
        pen = next;
      }
      schedule();
    });
    const lift = () => {
      if (pen) { pen = null; announce(); }
    };
    pad.addEventListener("pointerup", lift);
    pad.addEventListener("pointercancel", lift);

    // Keyboard drawing: arrows draw a step of one input pixel; Shift+arrow moves without drawing.
    const STEP = PAD / SIDE;
    pad.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      const from = { x: cursor.x, y: cursor.y };
      cursor.x = Math.max(0, Math.min(PAD, cursor.x + dx * STEP));
      cursor.y = Math.max(0, Math.min(PAD, cursor.y + dy * STEP));
      if (!event.shiftKey) {
        inkFromSample();
        stroke(from, cursor);
        drawn = true;
      }
      schedule();
      announce();
    });
    pad.addEventListener("focus", () => { cursor.visible = pad.matches(":focus-visible"); renderPad(); });
    pad.addEventListener("blur", () => { cursor.visible = false; renderPad(); });

    clear.addEventListener("click", () => {
      inkContext.clearRect(0, 0, PAD, PAD);
      state.sample = null;
      drawn = false;
      refresh();
      status.textContent = "Cleared.";
    });
    random.addEventListener("click", () => {
      const { images, labels, indices } = state.samples;
      const k = Math.floor(Math.random() * labels.length);
      showImage(Array.from(images.subarray(k * N_PIXELS, (k + 1) * N_PIXELS), (v) => v / 255),
        { index: indices[k], label: labels[k] });
    });

    function showImage(pixels, sample) {
      inkContext.clearRect(0, 0, PAD, PAD);
      state.input = Float32Array.from(pixels);
      state.sample = sample;
      // the pad shows the image enlarged, so the reader can draw over it
      refresh();
      inkFromSampleView();
      announce();
    }

    // Paint the shown test image on the pad without leaving sample mode.
    function inkFromSampleView() {
      const sample = state.sample;
      inkFromSample();
      state.sample = sample;
      renderPad();
    }

    refresh();
    return { refresh, showImage };
  }

  /* ---------- loading ---------- */

  async function load() {
    const response = await fetch(new URL("manifest.json", weightsBase), { cache: "no-cache" });
    if (!response.ok) throw new Error(`manifest.json: HTTP ${response.status}`);
    const manifest = await response.json();
    if (manifest.format !== 1) throw new Error(`manifest format ${manifest.format} is not the one this page reads (1)`);
    // The file name carries the manifest's digest, so a cached old file is never paired with a new manifest.
    const url = new URL(`${manifest.file}?v=${manifest.sha256.slice(0, 16)}`, weightsBase);
    const data = await fetch(url);
    if (!data.ok) throw new Error(`${manifest.file}: HTTP ${data.status}`);
    const buffer = await data.arrayBuffer();
    if (buffer.byteLength !== manifest.bytes) {
      throw new Error(`${manifest.file} has ${buffer.byteLength} bytes, the manifest says ${manifest.bytes}; rebuild the site`);
    }
    const { side, box } = manifest.preprocessing || {};
    if (side !== SIDE || !(box > 0 && box <= SIDE)) {
      throw new Error(`the manifest's preprocessing (${JSON.stringify(manifest.preprocessing)}) is not a ${SIDE}x${SIDE} image with a box inside`);
    }
    BOX = box;
    state.manifest = manifest;
    for (const name of Object.keys(manifest.models)) state.models[name] = loadModel(manifest, buffer, name);
    const samples = manifest.samples;
    state.samples = {
      images: view(buffer, manifest.arrays[samples.images], Uint8Array),
      labels: view(buffer, manifest.arrays[samples.labels], Uint8Array),
      indices: samples.test_indices,
    };
  }

  let page = null;
  const api = {
    predict(pixels, model = "lesson") {
      const m = modelNamed(model, "predict");
      return Array.from(forward(m, checkPixels(pixels, "predict")).probabilities);
    },
    hidden(pixels, model = "lesson") {
      const m = modelNamed(model, "hidden");
      return Array.from(forward(m, checkPixels(pixels, "hidden")).hidden);
    },
    input() {
      return Array.from(state.input);
    },
    show(pixels) {
      const x = checkPixels(pixels, "show");
      if (!page) throw new Error("mnistLesson.show: the page is still loading; await mnistLesson.ready first");
      page.showImage(x, { index: null, label: null });
    },
    refresh() {
      if (!page) throw new Error("mnistLesson.refresh: the page is still loading; await mnistLesson.ready first");
      return page.refresh();
    },
    get manifest() {
      return state.manifest;
    },
  };

  function start() {
    const root = document.getElementById("mnist-draw");
    api.ready = load().then(() => {
      if (root) page = buildPage(root);
      return api;
    });
    api.ready.catch((error) => {
      if (!root) return;
      root.replaceChildren(el("p", {
        class: "mnist-draw-error", role: "alert",
        text: `The networks could not be loaded (${error.message}). The page needs its weights from ` +
          "the site's _static/lesson-weights folder, served over HTTP: a browser does not let a page " +
          "opened from disk read them. Serve the built site (for example `python -m http.server` in " +
          "_build/html) and open this page from there.",
      }));
    });
  }

  window.mnistLesson = api;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
