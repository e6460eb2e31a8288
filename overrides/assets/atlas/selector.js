/* The model selector widget: which models fit my hardware, task and licence needs.
 *
 * rank() is the browser twin of generator/model/selector.py's rank(): same filters, same fit, same score,
 * same rounding (tests/selector_vectors.json holds both to the same answers). The rest wires a form to
 * it. The catalog data is inlined in the page (no fetch: works from file://): compact rows whose columns
 * data.columns names, and the constants both twins share (data.constants). The state lives in the URL
 * fragment (shareable, back button works) and catalog text is inserted with textContent only. */
(function (root) {
  "use strict";

  /* Column name -> position in each row of one of the data's tables. */
  function columns(data, table) {
    var out = {};
    data.columns[table].forEach(function (name, i) { out[name] = i; });
    return out;
  }

  function round(x, digits) {
    var scale = Math.pow(10, digits);
    return Math.floor(x * scale + 0.5) / scale;
  }

  function licenceOk(row, c, q) {
    if (!(q.commercial || q.no_user_cap || q.free_outputs || q.osi)) return true;
    if (!row) return false;
    return (!q.commercial || row[c.commercial_use] !== "no") && (!q.no_user_cap || !row[c.user_cap]) &&
      (!q.free_outputs || !row[c.output_training_restriction]) && (!q.osi || !!row[c.osi_approved]);
  }

  function fmtNumber(x, digits) {
    return round(x, digits).toFixed(digits);  // round half up first: toFixed and Python's format differ on ties
  }

  function fmtBudget(x) {
    return String(Number(x));
  }

  function reason(taskLabel, fmt, memory, q, speed, specialist, kvUnknown, slowBelow) {
    var parts = [];
    if (specialist) parts.push("built for " + taskLabel.toLowerCase());
    parts.push(fmt + " needs " + fmtNumber(memory, 1) + " of " + fmtBudget(q.budget_gb) + " GB");
    if (kvUnknown) parts.push("KV cache not counted (config unknown)");
    if (speed !== null) {
      parts.push("up to " + fmtNumber(speed, 0) + " tokens/s" + (speed < slowBelow ? " (slow)" : ""));
    }
    var text = parts.join("; ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /* data: the inlined selector data; q: {budget_gb, task, bandwidth_gb_s, context, input, tools,
   * commercial, no_user_cap, free_outputs, osi, limit}. Returns [{id, format, memory_gb,
   * tokens_per_s, score, reason}] best first. */
  function rank(data, q) {
    var M = columns(data, "models"), L = columns(data, "licences"), F = columns(data, "formats");
    var T = columns(data, "tasks"), slowBelow = data.constants.slow_tokens_per_s;
    var taskKeys = data.tasks.map(function (t) { return t[T.key]; });
    var taskIndex = q.task ? taskKeys.indexOf(q.task) : -1;
    var taskBit = taskIndex >= 0 ? 1 << taskIndex : 0;
    var inputIndex = q.input ? data.inputs.indexOf(q.input) : -1;
    var inputBit = inputIndex >= 0 ? 1 << inputIndex : 0;
    var context = q.context === undefined || q.context === null ? data.constants.default_context : q.context;
    var results = [];
    for (var i = 0; i < data.models.length; i++) {
      var r = data.models[i];
      var params = r[M.params_b], active = r[M.active_params_b], ctx = r[M.context_length];
      var kvFull = r[M.kv_full_bytes], kvWin = r[M.kv_window_bytes], win = r[M.window];
      var tasks = r[M.tasks], primary = r[M.primary_task], inputs = r[M.inputs], tool = r[M.tool_calling];
      var age = r[M.age_years], lic = r[M.licence];
      if (taskBit && !(tasks & taskBit)) continue;
      if (params === null || (context && (ctx === null || ctx < context))) continue;
      if (inputBit && !(inputs & inputBit)) continue;
      if (q.tools && tool !== 1) continue;
      if (!licenceOk(lic >= 0 ? data.licences[lic] : null, L, q)) continue;
      var kvGb = ((kvFull || 0) * context + kvWin * Math.min(context, win)) / 1e9;
      var fmt = null, bits = 0, ppl = 0, memory = 0;
      for (var f = 0; f < data.formats.length; f++) {
        var row = data.formats[f];
        var m = round(round(params * row[F.bits] / 8, 2) + kvGb + data.overhead, 2);
        if (m <= q.budget_gb) {
          fmt = row[F.name]; bits = row[F.bits]; ppl = row[F.ppl_increase]; memory = m;
          break;
        }
      }
      if (fmt === null) continue;
      var speed = null;
      if (q.bandwidth_gb_s) speed = round(q.bandwidth_gb_s / (active * bits / 8 + kvGb), 1);
      var effective = active === params ? params : Math.sqrt(params * active);
      var specialist = taskIndex >= 0 && primary === taskIndex;
      var slow = speed !== null && speed < slowBelow;
      var score = round(Math.log2(effective) - ppl + age + (specialist ? 1 : 0) - (slow ? 1 : 0), 4);
      results.push({
        id: r[M.id], format: fmt, memory_gb: memory, tokens_per_s: speed, score: score,
        reason: reason(specialist ? data.tasks[taskIndex][T.label] : "", fmt, memory, q, speed, specialist,
          kvFull === null, slowBelow)
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
    var H = columns(data, "hardware"), fallback = data.constants.default_context;
    var ctx = state.ctx === undefined || state.ctx === "" || isNaN(Number(state.ctx)) ? fallback : Number(state.ctx);
    var q = { task: state.task || null, input: state["in"] || null, context: ctx, limit: 15 };
    var machine = data.hardware.filter(function (h) { return h[H.id] === state.hw; })[0];
    q.budget_gb = machine ? machine[H.usable_gb] : Number(state.mem) || 8;
    q.bandwidth_gb_s = machine ? machine[H.bandwidth_gb_s] : null;
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
    var M = columns(data, "models"), L = columns(data, "licences"), H = columns(data, "hardware");
    var Fam = columns(data, "families");
    var byId = {};
    data.models.forEach(function (r) { byId[r[M.id]] = r; });
    data.hardware.forEach(function (h) {
      var option = el("option", null, h[H.name] + " (" + fmtNumber(h[H.usable_gb], 1) + " GB usable)");
      option.value = h[H.id];
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
      if (!c.ctx.value) c.ctx.value = String(data.constants.default_context);
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
        var licence = r[M.licence] >= 0 ? data.licences[r[M.licence]] : null;
        var family = r[M.family] >= 0 ? data.families[r[M.family]][Fam.id] : "";
        var item = el("li", "atlas-selector__result");
        var title = el("a", "atlas-selector__name", r[M.name]);
        title.href = base + data.constants.model_page.replace("{family}", encodeURIComponent(family))
          .replace("{id}", encodeURIComponent(r[M.id]));
        item.appendChild(title);
        var facts = el("span", "atlas-selector__facts");
        facts.appendChild(el("span", "atlas-badge", res.format));
        facts.appendChild(el("span", "atlas-badge", fmtNumber(res.memory_gb, 1) + " GB"));
        if (res.tokens_per_s !== null) facts.appendChild(el("span", "atlas-badge", "≤ " + fmtNumber(res.tokens_per_s, 0) + " tok/s"));
        var lic = el("span", "atlas-badge atlas-badge--licence-" + (licence ? licence[L.commercial_use] : "unknown"),
          licence ? licence[L.name] : "Licence unknown");
        lic.title = licence ? "Commercial use: " + licence[L.commercial_use] : "Licence unknown";
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
