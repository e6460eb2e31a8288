/* The model selector widget: which models fit my hardware, task and licence needs.
 *
 * rank() is the browser twin of generator/selector.py's rank(): same filters, same fit, same score,
 * same rounding (tests/selector_vectors.json holds both to the same answers). The rest wires a form to
 * it. The catalog data is inlined in the page (no fetch: works from file://), the state lives in the
 * URL fragment (shareable, back button works) and catalog text is inserted with textContent only. */
(function (root) {
  "use strict";

  var SLOW_TOKENS_PER_S = 5;

  function round(x, digits) {
    var scale = Math.pow(10, digits);
    return Math.floor(x * scale + 0.5) / scale;
  }

  function licenceOk(row, q) {
    if (!(q.commercial || q.no_user_cap || q.free_outputs || q.osi)) return true;
    if (!row) return false;
    return (!q.commercial || row[2] !== "no") && (!q.no_user_cap || !row[3]) &&
      (!q.free_outputs || !row[4]) && (!q.osi || !!row[5]);
  }

  function fmtNumber(x, digits) {
    return round(x, digits).toFixed(digits);  // round half up first: toFixed and Python's format differ on ties
  }

  function fmtBudget(x) {
    return String(Number(x));
  }

  function reason(taskLabel, fmt, memory, q, speed, specialist, kvUnknown) {
    var parts = [];
    if (specialist) parts.push("built for " + taskLabel.toLowerCase());
    parts.push(fmt + " needs " + fmtNumber(memory, 1) + " of " + fmtBudget(q.budget_gb) + " GB");
    if (kvUnknown) parts.push("KV cache not counted (config unknown)");
    if (speed !== null) {
      parts.push("up to " + fmtNumber(speed, 0) + " tokens/s" + (speed < SLOW_TOKENS_PER_S ? " (slow)" : ""));
    }
    var text = parts.join("; ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /* data: the inlined selector data; q: {budget_gb, task, bandwidth_gb_s, context, input, tools,
   * commercial, no_user_cap, free_outputs, osi, limit}. Returns [{id, format, memory_gb,
   * tokens_per_s, score, reason}] best first. */
  function rank(data, q) {
    var taskKeys = data.tasks.map(function (t) { return t[0]; });
    var taskIndex = q.task ? taskKeys.indexOf(q.task) : -1;
    var taskBit = taskIndex >= 0 ? 1 << taskIndex : 0;
    var inputIndex = q.input ? data.inputs.indexOf(q.input) : -1;
    var inputBit = inputIndex >= 0 ? 1 << inputIndex : 0;
    var context = q.context === undefined || q.context === null ? 8192 : q.context;
    var results = [];
    for (var i = 0; i < data.models.length; i++) {
      var r = data.models[i];
      var params = r[4], active = r[5], ctx = r[6], kvFull = r[7], kvWin = r[8], win = r[9];
      var tasks = r[10], primary = r[11], inputs = r[12], tool = r[13], age = r[14];
      if (taskBit && !(tasks & taskBit)) continue;
      if (params === null || (context && (ctx === null || ctx < context))) continue;
      if (inputBit && !(inputs & inputBit)) continue;
      if (q.tools && tool !== 1) continue;
      if (!licenceOk(r[3] >= 0 ? data.licences[r[3]] : null, q)) continue;
      var kvGb = ((kvFull || 0) * context + kvWin * Math.min(context, win)) / 1e9;
      var fmt = null, bits = 0, ppl = 0, memory = 0;
      for (var f = 0; f < data.formats.length; f++) {
        var m = round(round(params * data.formats[f][1] / 8, 2) + kvGb + data.overhead, 2);
        if (m <= q.budget_gb) {
          fmt = data.formats[f][0]; bits = data.formats[f][1]; ppl = data.formats[f][2]; memory = m;
          break;
        }
      }
      if (fmt === null) continue;
      var speed = null;
      if (q.bandwidth_gb_s) speed = round(q.bandwidth_gb_s / (active * bits / 8 + kvGb), 1);
      var effective = active === params ? params : Math.sqrt(params * active);
      var specialist = taskIndex >= 0 && primary === taskIndex;
      var slow = speed !== null && speed < SLOW_TOKENS_PER_S;
      var score = round(Math.log2(effective) - ppl + age + (specialist ? 1 : 0) - (slow ? 1 : 0), 4);
      results.push({
        id: r[0], format: fmt, memory_gb: memory, tokens_per_s: speed, score: score,
        reason: reason(specialist ? data.tasks[taskIndex][1] : "", fmt, memory, q, speed, specialist, kvFull === null)
      });
    }
    results.sort(function (a, b) { return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    return results.slice(0, q.limit || 10);
  }

  /* ------------------------------------------------------------------ the widget */

  var FIELDS = ["task", "hw", "mem", "ctx", "in", "tools", "com", "cap", "out", "osi"];
  var FLAGS = { tools: "tools", com: "commercial", cap: "no_user_cap", out: "free_outputs", osi: "osi" };

  function readState(hash) {
    var state = {};
    var params = new URLSearchParams(hash.replace(/^#/, ""));
    FIELDS.forEach(function (k) { if (params.has(k)) state[k] = params.get(k); });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    return "#" + params.toString();
  }

  function queryOf(state, data) {
    var ctx = state.ctx === undefined || state.ctx === "" || isNaN(Number(state.ctx)) ? 8192 : Number(state.ctx);
    var q = { task: state.task || null, input: state["in"] || null, context: ctx, limit: 15 };
    var machine = data.hardware.filter(function (h) { return h[0] === state.hw; })[0];
    q.budget_gb = machine ? machine[2] : Number(state.mem) || 8;
    q.bandwidth_gb_s = machine ? machine[3] : null;
    Object.keys(FLAGS).forEach(function (k) { q[FLAGS[k]] = state[k] === "1"; });
    return q;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function mount(rootEl) {
    var dataEl = document.querySelector("script[data-atlas-selector-data]");
    if (!dataEl) return;
    var data = JSON.parse(dataEl.textContent);
    var form = rootEl.querySelector("form");
    var list = rootEl.querySelector("[data-atlas-results]");
    var summary = rootEl.querySelector("[data-atlas-summary]");
    var base = rootEl.getAttribute("data-atlas-base") || "";
    var byId = {};
    data.models.forEach(function (r) { byId[r[0]] = r; });
    data.hardware.forEach(function (h) {
      var option = el("option", null, h[1] + " (" + fmtNumber(h[2], 1) + " GB usable)");
      option.value = h[0];
      form.elements.hw.appendChild(option);
    });

    function controls() {
      return {
        task: form.elements.task, hw: form.elements.hw, mem: form.elements.mem, ctx: form.elements.ctx,
        "in": form.elements["in"], tools: form.elements.tools, com: form.elements.com,
        cap: form.elements.cap, out: form.elements.out, osi: form.elements.osi
      };
    }

    function formState() {
      var c = controls(), state = {};
      ["task", "hw", "ctx", "in"].forEach(function (k) { state[k] = c[k].value; });
      state.mem = c.hw.value ? "" : c.mem.value;
      Object.keys(FLAGS).forEach(function (k) { state[k] = c[k].checked ? "1" : ""; });
      return state;
    }

    function showState(state) {
      var c = controls();
      ["task", "hw", "ctx", "in"].forEach(function (k) { c[k].value = state[k] || ""; });
      if (!c.ctx.value) c.ctx.value = "8192";
      c.mem.value = state.mem || c.mem.value || "8";
      c.mem.disabled = !!c.hw.value;
      Object.keys(FLAGS).forEach(function (k) { c[k].checked = state[k] === "1"; });
    }

    function render() {
      var q = queryOf(formState(), data);
      var results = rank(data, q);
      while (list.firstChild) list.removeChild(list.firstChild);
      summary.textContent = results.length
        ? "Best " + results.length + " for " + fmtBudget(q.budget_gb) + " GB" +
          (q.context ? " at " + q.context.toLocaleString("en") + " tokens of context" : "")
        : "No model in the catalog fits these needs. Try more memory, a shorter context or fewer constraints.";
      results.forEach(function (res) {
        var r = byId[res.id];
        var licence = r[3] >= 0 ? data.licences[r[3]] : null;
        var family = r[2] >= 0 ? data.families[r[2]][0] : "";
        var item = el("li", "atlas-selector__result");
        var title = el("a", "atlas-selector__name", r[1]);
        title.href = base + "models/" + encodeURIComponent(family) + "/" + encodeURIComponent(r[0]) + ".html";
        item.appendChild(title);
        var facts = el("span", "atlas-selector__facts");
        facts.appendChild(el("span", "atlas-badge", res.format));
        facts.appendChild(el("span", "atlas-badge", fmtNumber(res.memory_gb, 1) + " GB"));
        if (res.tokens_per_s !== null) facts.appendChild(el("span", "atlas-badge", "≤ " + fmtNumber(res.tokens_per_s, 0) + " tok/s"));
        var lic = el("span", "atlas-badge atlas-badge--licence-" + (licence ? licence[2] : "unknown"),
          licence ? licence[1] : "Licence unknown");
        lic.title = licence ? "Commercial use: " + licence[2] : "Licence unknown";
        facts.appendChild(lic);
        item.appendChild(facts);
        item.appendChild(el("p", "atlas-selector__reason", res.reason));
        list.appendChild(item);
      });
    }

    function fromUrl() {
      showState(readState(window.location.hash));
      render();
    }

    form.addEventListener("change", function () {
      var hash = writeState(formState());
      controls().mem.disabled = !!controls().hw.value;
      if (hash !== window.location.hash && !(hash === "#" && !window.location.hash)) {
        window.location.hash = hash;  // a history entry: the back button returns to the previous choice
      } else {
        render();
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", fromUrl);
    fromUrl();
  }

  var api = { rank: rank, readState: readState, writeState: writeState, queryOf: queryOf };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.AtlasSelector = api;
    var start = function () {
      var rootEl = document.querySelector("[data-atlas-selector]");
      if (rootEl) mount(rootEl);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(this);
