/* Neural Flow: plays the training run that bpcore.neural_flow drew.
 *
 * neuralFlow(root, data) takes the view's element and its data (integers, in
 * hundredths of each scale, as neural_flow.py writes them), swaps the SVG stills
 * for live copies of themselves and adds the controls: play/pause, a slider
 * over the snapshots (arrow keys step it) and a menu of samples. Playing runs
 * one pass per snapshot: blue pulses from the inputs to the outputs, then red
 * pulses back, which rest on their weights. No request leaves the page.
 */
function neuralFlow(root, data) {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const frames = data.frames;
  const lastFrame = frames.length - 1;
  const levels = data.levels;
  const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // the stills become live SVG elements
  const figures = [...root.querySelectorAll("img.nf-still")].map((img) => {
    const src = img.getAttribute("src");
    const text = decodeURIComponent(src.slice(src.indexOf(",") + 1));
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    svg.classList.add("nf-live", ...[...img.classList].filter((c) => c !== "nf-still"));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", img.alt);
    const live = document.importNode(svg, true);
    img.replaceWith(live);
    return live;
  });
  const [network, curve] = figures;
  root.querySelector(".nf-note")?.remove();

  const edges = [...network.querySelectorAll(".nf-edge:not(.nf-key)")];
  const rests = [...network.querySelectorAll(".nf-rest:not(.nf-key)")];
  const units = [...network.querySelectorAll(".nf-unit")];
  const values = [...network.querySelectorAll(".nf-value")];
  const cursor = curve.querySelector(".nf-cursor");
  const marker = curve.querySelector(".nf-marker");

  // each edge's layer and source unit, in the order of the data
  const sizes = data.sizes;
  const layerOf = [], sourceOf = [], firstUnit = [0];
  sizes.forEach((n, l) => firstUnit.push(firstUnit[l] + n));
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        layerOf.push(l);
        sourceOf.push(firstUnit[l] + i);
      }
    }
  }
  const depth = sizes.length - 1;
  const ends = edges.map((e) => ["x1", "y1", "x2", "y2"].map((a) => +e.getAttribute(a)));

  // pulses: one blue and (the resting dots) one red per edge
  const group = document.createElementNS(SVG, "g");
  network.insertBefore(group, units[0]);
  const blue = edges.map(() => {
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("class", "nf-pulse-forward");
    dot.setAttribute("r", "0");
    group.appendChild(dot);
    return dot;
  });

  // the controls
  const controls = document.createElement("div");
  controls.className = "nf-controls";
  const play = document.createElement("button");
  play.type = "button";
  play.className = "nf-play";
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = 0;
  slider.max = lastFrame;
  slider.step = 1;
  slider.className = "nf-epoch";
  slider.setAttribute("aria-label", "epoch");
  const readout = document.createElement("output");
  readout.className = "nf-readout";
  readout.setAttribute("aria-live", "polite");
  const menu = document.createElement("select");
  menu.className = "nf-sample";
  menu.setAttribute("aria-label", "sample that flows through the network");
  data.samples.forEach((name, k) => menu.add(new Option(name, k)));
  const sampleLabel = document.createElement("label");
  sampleLabel.append("sample ", menu);
  controls.append(play, slider, readout, sampleLabel);
  root.querySelector(".nf-figures").after(controls);

  const minus = (text) => text.replace(/-/g, "\u2212");
  const state = { frame: data.start, sample: 0, playing: false, started: null, timer: null };

  function show() {
    const frame = frames[state.frame];
    const [low, high] = data.widths;
    frame.w.forEach((q, k) => {
      edges[k].setAttribute("stroke-width", (low + ((high - low) * Math.abs(q)) / levels).toFixed(2));
      edges[k].classList.toggle("nf-pos", q >= 0);
      edges[k].classList.toggle("nf-neg", q < 0);
    });
    const acts = frame.a[state.sample];
    units.forEach((unit, k) => unit.setAttribute("fill-opacity", (Math.abs(acts[k]) / levels).toFixed(2)));
    if (data.values) {
      let k = 0;
      sizes.forEach((n, l) => {
        for (let i = 0; i < n; i++, k++) {
          values[k].textContent = minus(((acts[k] / levels) * data.aScale[l]).toFixed(data.aDigits[l]));
        }
      });
    }
    rest(1);
    const [x, y] = data.cursor[state.frame];
    cursor.setAttribute("x1", x);
    cursor.setAttribute("x2", x);
    marker.setAttribute("cx", x);
    marker.setAttribute("cy", y);
    const epoch = data.epochs[state.frame];
    const text = `epoch ${epoch} \u00b7 loss ${data.loss[state.frame].toPrecision(3)}`;
    readout.textContent = text;
    slider.value = state.frame;
    slider.setAttribute("aria-valuetext", text);
    root.dataset.epoch = epoch;
  }

  // the red dots at rest; only layers >= from (during the backward sweep)
  function rest(visible, from = 0) {
    const grads = frames[state.frame].g[state.sample];
    rests.forEach((dot, k) => {
      const s = grads[k] / levels;
      const [x1, y1, x2, y2] = ends[k];
      dot.setAttribute("cx", x1 + data.rest * (x2 - x1));
      dot.setAttribute("cy", y1 + data.rest * (y2 - y1));
      dot.setAttribute("r", (1 + 3 * s).toFixed(2));
      dot.setAttribute("fill-opacity", visible && layerOf[k] >= from ? s.toFixed(2) : 0);
    });
  }

  // one pass of pulses at time t in [0, 1): forward in the first half
  function pulses(t) {
    const frame = frames[state.frame];
    const acts = frame.a[state.sample];
    root.dataset.phase = t < 0.5 ? "forward" : "backward";
    if (t < 0.5) {
      const u = t * 2 * depth, layer = Math.floor(u), p = u - layer;
      rest(false);
      const carried = frame.w.map((q, k) =>
        layerOf[k] === layer ? Math.abs(q * acts[sourceOf[k]]) : 0);
      const largest = Math.max(...carried) || 1;
      blue.forEach((dot, k) => {
        const [x1, y1, x2, y2] = ends[k];
        const s = carried[k] / largest;
        dot.setAttribute("cx", x1 + p * (x2 - x1));
        dot.setAttribute("cy", y1 + p * (y2 - y1));
        dot.setAttribute("r", layerOf[k] === layer ? (1.5 + 3 * s).toFixed(2) : 0);
        dot.setAttribute("fill-opacity", (0.3 + 0.7 * s).toFixed(2));
      });
      return;
    }
    blue.forEach((dot) => dot.setAttribute("r", 0));
    const u = (t - 0.5) * 2 * depth, layer = depth - 1 - Math.floor(u), p = 1 - (u % 1) * (1 - data.rest);
    rest(true, layer + 1);
    const grads = frame.g[state.sample];
    rests.forEach((dot, k) => {
      if (layerOf[k] !== layer) return;
      const [x1, y1, x2, y2] = ends[k];
      dot.setAttribute("cx", x1 + p * (x2 - x1));
      dot.setAttribute("cy", y1 + p * (y2 - y1));
      dot.setAttribute("fill-opacity", (grads[k] / levels).toFixed(2));
    });
  }

  function tick(now) {
    if (state.started === null) state.started = now;
    const t = (now - state.started) / (data.cycle * 1000);
    if (t >= 1) {
      state.started = now;
      if (!state.playing || state.frame === lastFrame) return stop();
      state.frame += 1;
      show();
    }
    if (!calm) pulses(Math.min(t, 0.999) % 1);
    state.timer = requestAnimationFrame(tick);
  }

  function run() {
    cancelAnimationFrame(state.timer);
    state.started = null;
    state.timer = requestAnimationFrame(tick);
  }

  function stop() {
    cancelAnimationFrame(state.timer);
    delete root.dataset.phase;
    state.playing = false;
    blue.forEach((dot) => dot.setAttribute("r", 0));
    rest(true);
    label();
  }

  function label() {
    play.textContent = state.playing ? "\u275a\u275a Pause" : "\u25b6 Play";
    play.setAttribute("aria-pressed", state.playing);
  }

  play.addEventListener("click", () => {
    if (state.playing) return stop();
    if (state.frame === lastFrame) {
      state.frame = 0;
      show();
    }
    state.playing = true;
    label();
    run();
  });
  slider.addEventListener("input", () => {
    state.frame = +slider.value;
    show();
    if (!state.playing) run(); // one pass on the chosen epoch
  });
  menu.addEventListener("change", () => {
    state.sample = +menu.value;
    show();
    if (!state.playing) run();
  });

  label();
  show();
}
