/* Run the book's code cells in the reader's browser, with Python compiled to WebAssembly
   (Pyodide, served by the book itself from _static/vendor/pyodide/: no request leaves it).

   Each code cell gets a "Run in browser" button. Pressed, the cell becomes editable and
   runs; the cells of a page share one Python session, run one at a time in the order
   they are asked for, and "Run all above" runs every cell before this one first. Output
   (text, errors, figures) appears under the cell. Python loads only when a reader first
   asks, so a page that is only read stays light.

   Over HTTP the runtime's files are fetched as they are. A page opened from disk (file:)
   may not fetch files, so there each file is read from a classic script beside it,
   file/<name>.js, which carries it base64-encoded (_ext/browser_python.py writes them). */
"use strict";
(() => {
  const root = new URL(document.documentElement.dataset.content_root || "./", document.baseURI);
  const RUNTIME = new URL("_static/vendor/pyodide/", root).href;
  const FROM_DISK = location.protocol === "file:";
  // What every page loads, and what a cell needs beyond its imports (which Pyodide
  // reads): bpcore imports scikit-learn inside bpcore.digits() and ipywidgets inside
  // the functions of bpcore.widgets.
  const PACKAGES = ["numpy", "matplotlib", "bpcore"];
  const ON_DEMAND = [[/\bdigits\(/, "scikit-learn"], [/\bwidgets\b/, "ipywidgets"]];

  let python = null; // the page's one session: a promise of Pyodide
  const timings = window.bookPythonTimings = {}; // seconds from the first click, by stage
  let queue = Promise.resolve(); // cells run one after another
  const loaded = new Set(); // packages
  const ran = new WeakSet(); // cells run in this session

  /* --- files from disk: each one as a script that stores its base64 text --- */

  const carried = {};
  window.bookRuntimeFile = (name, base64) => { carried[name] = base64; };

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });
  }

  async function fileFromDisk(name) {
    if (!(name in carried)) await loadScript(`${RUNTIME}file/${name}.js`);
    const text = atob(carried[name]);
    delete carried[name];
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const type = name.endsWith(".wasm") ? "application/wasm"
      : name.endsWith(".json") ? "application/json" : "application/octet-stream";
    return new Response(bytes, {headers: {"Content-Type": type}});
  }

  function answerFetchesFromDisk() {
    const fetchFile = window.fetch.bind(window);
    window.fetch = (resource, options) => {
      const url = String(resource instanceof Request ? resource.url : resource);
      return url.startsWith(RUNTIME) ? fileFromDisk(url.slice(RUNTIME.length).split("?")[0])
        : fetchFile(resource, options);
    };
  }

  /* --- the session --- */

  async function start(say) {
    const began = performance.now();
    say("Starting Python (1 of 3): the runtime, once per page");
    if (FROM_DISK) answerFetchesFromDisk();
    await loadScript(`${RUNTIME}pyodide.js`);
    await loadScript(`${RUNTIME}pyodide.asm.js`); // a classic script, so it loads from disk too
    const pyodide = await loadPyodide({indexURL: RUNTIME, env: {MPLBACKEND: "Agg"}});
    timings.runtime = elapsed(began);
    // matplotlib's font list, made once for this runtime (scripts/vendor_pyodide.py),
    // which session.py puts where matplotlib looks for it: without it, matplotlib would
    // list its fonts again on every page
    pyodide.FS.writeFile("/tmp/matplotlib-fontlist.json",
                         await (await fetch(`${RUNTIME}matplotlib-fontlist.json`)).text());
    say("Starting Python (2 of 3): numpy, matplotlib and bpcore");
    await load(pyodide, PACKAGES);
    timings.packages = elapsed(began);
    say("Starting Python (3 of 3): the session");
    await paint();
    pyodide.runPython(await (await fetch(`${RUNTIME}session.py`)).text());
    timings.session = elapsed(began);
    say(`Python is ready (${seconds(began)})`);
    return pyodide;
  }

  async function load(pyodide, names) {
    const wanted = names.filter(name => !loaded.has(name));
    if (!wanted.length) return;
    await pyodide.loadPackage(wanted, {messageCallback: () => {}, errorCallback: console.warn});
    wanted.forEach(name => loaded.add(name));
  }

  const elapsed = since => (performance.now() - since) / 1000;
  const seconds = since => `${elapsed(since).toFixed(1)} s`;

  /* --- the cells --- */

  const codeCells = () => [...document.querySelectorAll("div.cell")]
    .filter(cell => cell.querySelector(":scope > .cell_input pre"));

  function sourceOf(cell) {
    const editor = cell.querySelector(":scope > .cell_input textarea.bp-editor");
    return editor ? editor.value : cell.querySelector(":scope > .cell_input pre").textContent;
  }

  function addButton(cell) {
    const bar = document.createElement("div");
    bar.className = "bp-run-bar";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "bp-run";
    button.textContent = "Run in browser";
    button.title = "Edit and run this cell with Python in your browser (no install, no "
      + "server); the cells above it that have not run yet run first";
    button.addEventListener("click", () => { makeLive(cell); run(cell, "new"); });
    bar.append(button);
    cell.querySelector(":scope > .cell_input").before(bar);
  }

  function makeLive(cell) {
    if (cell.classList.contains("bp-live")) return;
    cell.classList.add("bp-live");
    const input = cell.querySelector(":scope > .cell_input");
    const original = input.querySelector("pre").textContent;
    const editor = document.createElement("textarea");
    editor.className = "bp-editor";
    editor.spellcheck = false;
    editor.setAttribute("aria-label", "Code of this cell, editable");
    editor.value = original;
    const fit = () => { editor.style.height = "auto"; editor.style.height = `${editor.scrollHeight + 2}px`; };
    editor.addEventListener("input", fit);
    editor.addEventListener("keydown", event => {
      if (event.key === "Enter" && event.shiftKey) { event.preventDefault(); run(cell); }
    });
    input.querySelector(".highlight").hidden = true;
    input.append(editor);
    requestAnimationFrame(fit);

    const bar = cell.querySelector(":scope > .bp-run-bar");
    bar.replaceChildren();
    const buttons = [
      ["Run", "Run this cell (Shift+Enter)", () => run(cell)],
      ["Run all above", "Run every cell before this one again, then this one", () => run(cell, "all")],
      ["Reset", "Put back the book's code", () => { editor.value = original; fit(); }],
    ];
    for (const [label, title, action] of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "bp-run";
      button.textContent = label;
      button.title = title;
      button.addEventListener("click", action);
      bar.append(button);
    }
    const status = document.createElement("span");
    status.className = "bp-status";
    status.setAttribute("role", "status");
    bar.append(status);

    const output = document.createElement("div");
    output.className = "bp-output";
    output.setAttribute("aria-live", "polite");
    input.after(output);
  }

  /* Run ``cell``: with ``above`` "all", every cell before it first; with "new", those of
     them that have not run in this session (what the first click on a cell does, so that
     it has its context); with "none", the cell alone. */
  function run(cell, above = "none") {
    const status = cell.querySelector(":scope .bp-status");
    let said = "";
    const say = text => { said = text; status.textContent = text; };
    say("Waiting for the cell before it");
    cell.classList.add("bp-busy");
    const task = async () => {
      const began = performance.now();
      // the seconds so far, after what is under way (Python runs in the page, so they
      // stand still while a cell computes, and move on between cells and while loading)
      const ticker = setInterval(() => { status.textContent = `${said} · ${seconds(began)}`; }, 250);
      try {
        python ??= start(say);
        const pyodide = await python;
        const cells = codeCells();
        const before = cells.slice(0, cells.indexOf(cell))
          .filter(each => above === "all" || (above === "new" && !ran.has(each)));
        const todo = [...before, cell];
        for (const [i, each] of todo.entries()) {
          say(each === cell ? "Running" : `Running cell ${i + 1} of ${todo.length}: the cells above first`);
          await paint();
          const outputs = await execute(pyodide, sourceOf(each), cells.indexOf(each) + 1);
          ran.add(each);
          const failed = outputs.some(output => output.type === "error");
          if (each === cell || failed) {
            makeLive(each);
            show(each, outputs);
          }
          if (failed) {
            if (each === cell) say(`Failed after ${seconds(began)}`);
            else {
              say(`A cell above failed (see its error), so this one did not run`);
              each.scrollIntoView({block: "center"});
            }
            return;
          }
        }
        timings.firstResult ??= elapsed(began);
        say(`Ran ${todo.length > 1 ? `${todo.length} cells (this and ${todo.length - 1} above) ` : ""}`
            + `in ${seconds(began)}`);
      } catch (error) {
        python = null; // a failed start is tried again on the next click
        say(`Python could not start: ${error.message}`);
        console.error(error);
      } finally {
        clearInterval(ticker);
        status.textContent = said;
        cell.classList.remove("bp-busy");
      }
    };
    queue = queue.then(task, task);
    return queue;
  }

  const paint = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));

  async function execute(pyodide, code, number) {
    const needs = ON_DEMAND.filter(([pattern]) => pattern.test(code)).map(([, name]) => name);
    await load(pyodide, needs);
    await pyodide.loadPackagesFromImports(code);
    const run = pyodide.globals.get("run_cell");
    try {
      return JSON.parse(await run(code, `<cell ${number}>`));
    } finally {
      run.destroy();
    }
  }

  /* --- output --- */

  function show(cell, outputs) {
    const area = cell.querySelector(":scope > .bp-output");
    area.replaceChildren();
    for (const output of outputs) area.append(render(output));
    const stored = cell.querySelector(":scope > .cell_output");
    if (stored) stored.hidden = true; // the new output replaces it, as in Jupyter
  }

  function render(output) {
    if (output.type === "stdout" || output.type === "stderr" || output.type === "error") {
      const pre = document.createElement("pre");
      pre.className = `bp-${output.type}`;
      pre.textContent = output.text;
      return pre;
    }
    if (output.type === "widget" && window.require) return widget(output);
    const data = output.data;
    if (data["image/png"]) {
      const img = document.createElement("img");
      img.src = `data:image/png;base64,${data["image/png"]}`;
      img.alt = data["text/plain"] || "a figure drawn by the cell";
      return img;
    }
    if (data["text/html"]) {
      const div = document.createElement("div");
      div.className = "bp-html";
      div.innerHTML = data["text/html"];
      // scripts set as innerHTML never run; fresh copies run once the output is on the page
      for (const stale of div.querySelectorAll("script")) {
        const script = document.createElement("script");
        for (const { name, value } of stale.attributes) script.setAttribute(name, value);
        script.textContent = stale.textContent;
        stale.replaceWith(script);
      }
      return div;
    }
    const pre = document.createElement("pre");
    pre.className = "bp-stdout";
    pre.textContent = data["text/plain"] ?? "";
    return pre;
  }

  // a widget, drawn by the page's widget manager from its state, as the stored ones are
  function widget(output) {
    const box = document.createElement("div");
    box.className = "bp-widget";
    for (const [type, content] of [["state", output.state], ["view", output.view]]) {
      const script = document.createElement("script");
      script.type = `application/vnd.jupyter.widget-${type}+json`;
      script.textContent = JSON.stringify(content);
      box.append(script);
    }
    window.require(["@jupyter-widgets/html-manager/dist/libembed-amd"],
                   embed => embed.renderWidgets(box));
    return box;
  }

  function setUp() {
    if (!document.querySelector("div.cell")) return;
    codeCells().forEach(addButton);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
