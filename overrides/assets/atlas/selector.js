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

  function reason(taskLabel, fmt, need, q, budget, speed, specialist, toolsUnknown, slowBelow, offload, runtime) {
    var parts = [];
    if (specialist) parts.push("built for " + taskLabel.toLowerCase());
    parts.push(fmt + " needs " + fmtNumber(need, 1) + " of " + fmtBudget(budget) + " GB");
    if (runtime === GPU_RUNTIME) parts.push("the publisher's own weights, served by vLLM");
    if (offload && offload.kind === "experts") {
      parts.push("its experts (" + fmtNumber(offload.inRam, 1) + " GB) in system RAM");
    } else if (offload) {
      parts.push(offload.gpuLayers + " layers on the GPU, " + fmtNumber(offload.inRam, 1) + " GB in system RAM");
    }
    if (q.gpus > 1) {
      parts.push("split across " + q.gpus + " GPUs " + (runtime === GPU_RUNTIME ? "tensor-parallel" : "by layer"));
    }
    if (speed !== null) {
      parts.push("about " + fmtNumber(speed, 0) + " tokens/s (estimate)" + (speed < slowBelow ? " (slow)" : ""));
    }
    if (toolsUnknown) parts.push("tool calling unknown");
    var text = parts.join("; ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function defaults(q, data) {
    var out = {};
    Object.keys(q).forEach(function (k) { out[k] = q[k]; });
    if (out.context === undefined || out.context === null) out.context = data.constants.default_context;
    if (out.cache === undefined || out.cache === null) out.cache = "f16";
    if (out.headroom === undefined || out.headroom === null) out.headroom = data.constants.headroom;
    if (!out.gpus) out.gpus = 1;
    if (!out.ram_gb) out.ram_gb = 0;
    if (!out.precisions) out.precisions = [];
    return out;
  }

  /* How a format entry of a model runs (selector.py's VIA_*, runtime_for): a GGUF file through llama.cpp, or
   * the publisher's low-precision release through the GPU runtime where the machine's generation supports it. */
  var VIA_GGUF = 1, VIA_RELEASE = 2, GPU_RUNTIME = "vllm";
  var GGUF_CACHES = ["f16", "q8_0", "q4_0"], RELEASE_CACHES = ["f16", "fp8"];

  function runtimeFor(fmt, via, q) {
    if ((via & VIA_RELEASE) && q.precisions.indexOf(fmt) >= 0 && RELEASE_CACHES.indexOf(q.cache) >= 0) {
      return GPU_RUNTIME;
    }
    if ((via & VIA_GGUF) && GGUF_CACHES.indexOf(q.cache) >= 0) return "llama-cpp";
    return null;
  }

  /* Each of a model's formats, best first: {fmt, bits, ppl, weights (the real file's GB when known), via}. */
  function formatsOf(data, r, M) {
    var F = columns(data, "formats");
    return r[M.formats].map(function (entry) {
      var row = data.formats[entry[0]], fileGb = entry[1];
      return {
        fmt: row[F.name], bits: row[F.bits], ppl: row[F.ppl_increase] || 0,
        weights: fileGb !== null ? fileGb : round(r[M.params_b] * row[F.bits] / 8, 2),
        via: entry.length > 2 ? entry[2] : VIA_GGUF
      };
    });
  }

  /* KV cache bytes at `context` tokens: each group's cells (padded; windowed groups capped at window plus a
   * micro-batch) times its bytes per cell, scaled from 16 bits to the cache type. */
  function kvBytes(cache, context, data, cacheType) {
    var k = data.constants, pad = k.cell_padding;
    var cells = Math.ceil(context / pad) * pad, total = 0;
    for (var i = 0; i < cache.length; i++) {
      var perCell = cache[i][0], window = cache[i][1];
      var held = !window ? cells : Math.ceil(Math.min(cells, window + k.micro_batch) / pad) * pad;
      total += perCell * held;
    }
    return total * k.cache_types[cacheType] / 2;
  }

  function budgetOf(q) {
    return round(q.budget_gb * (q.gpus || 1) * (1 - q.headroom), 2);
  }

  function passes(data, r, M, L, q, taskIndex, inputIndex) {
    var ctx = r[M.context_length], lic = r[M.licence];
    if (taskIndex >= 0 && !(r[M.tasks] & (1 << taskIndex))) return false;
    if (q.context && ctx !== null && ctx < q.context) return false;
    if (inputIndex >= 0 && !(r[M.inputs] & (1 << inputIndex))) return false;
    if (q.tools && r[M.tool_calling] === 0) return false;
    return licenceOk(lic >= 0 ? data.licences[lic] : null, L, q);
  }

  /* Why a model that passes the filters cannot be ranked (what is unknown), or null. */
  function screen(r, M, q) {
    if (r[M.unknown]) return r[M.unknown] + " unknown";
    if (q.context && r[M.context_length] === null) return "context length unknown";
    if (q.tools && r[M.tool_calling] === -1 && !q.tools_unknown) return "tool calling unknown";
    return null;
  }

  function indexes(data, q) {
    var T = columns(data, "tasks");
    var taskKeys = data.tasks.map(function (t) { return t[T.key]; });
    return { task: q.task ? taskKeys.indexOf(q.task) : -1, input: q.input ? data.inputs.indexOf(q.input) : -1 };
  }

  function fitRow(data, r, M, q, taskIndex) {
    var T = columns(data, "tasks"), slowBelow = data.constants.slow_tokens_per_s;
    var params = r[M.params_b], active = r[M.active_params_b];
    var contextGb = (kvBytes(r[M.cache], q.context, data, q.cache) + r[M.state_bytes]) / 1e9;
    var budget = budgetOf(q), formats = formatsOf(data, r, M);
    var fmt = null, bits = 0, ppl = 0, need = 0, via = VIA_GGUF, runtime = null;
    for (var f = 0; f < formats.length; f++) {
      var found = formats[f], runs = runtimeFor(found.fmt, found.via, q);
      var m = round(found.weights + contextGb + data.constants.overhead_gb * q.gpus, 2);
      if (runs && m <= budget) {
        fmt = found.fmt; bits = found.bits; ppl = found.ppl; need = m; via = found.via; runtime = runs;
        break;
      }
    }
    var offload = null, share = data.constants.bandwidth_share;
    if (fmt === null && q.ram_gb && r[M.expert_params_b]) offload = bestOffload(data, r, M, contextGb, budget, q);
    if (fmt === null && offload === null && q.ram_gb && r[M.layers]) {
      offload = bestLayerSplit(data, r, M, contextGb, budget, q);
    }
    if (offload) {
      fmt = offload.fmt; bits = offload.bits; ppl = offload.ppl; need = offload.need; via = offload.via;
      runtime = "llama-cpp";
    }
    if (fmt === null) return null;
    var speed = null, ramBandwidth = data.constants.ram_bandwidth_gb_s;
    if (offload && q.bandwidth_gb_s && ramBandwidth) {
      var fromRam = offload.kind === "experts" ? activeExperts(r, M) : active * offload.ramShare;
      var gpuBytes = (active - fromRam) * bits / 8 + contextGb;
      var seconds = gpuBytes / (q.bandwidth_gb_s * share) + fromRam * bits / 8 / (ramBandwidth * share);
      speed = round(1 / seconds, 1);
    } else if (q.bandwidth_gb_s && !offload) {
      var bandwidth = q.bandwidth_gb_s * (runtime === GPU_RUNTIME ? q.gpus : 1);  // tensor parallel reads all
      speed = round(bandwidth * share / (active * bits / 8 + contextGb), 1);
    }
    if (offload && (speed === null || speed < slowBelow)) return null;  // spilling only at a usable speed
    var specialist = taskIndex >= 0 && r[M.primary_task] === taskIndex;
    var slow = speed !== null && speed < slowBelow;
    var k = data.constants, found = evidenceOf(data, r, M, taskIndex), score;
    if (found) {  // quality from cited scores, less the format's quality cost and a slow speed
      score = round(100 * found.quality - k.format_cost_per_ppl * ppl - (slow ? k.slow_penalty : 0), 4);
    } else {  // no evidence: its own band, below, by size and recency
      var effective = active === params ? params : Math.sqrt(params * active);
      score = round(Math.log2(effective) - ppl + r[M.age_years] + (specialist ? 1 : 0) - (slow ? 1 : 0), 4);
    }
    return {
      id: r[M.id], format: fmt, runtime: runtime, memory_gb: need, context_gb: round(contextGb, 2),
      tokens_per_s: speed, score: score, band: found ? 1 : 0, quality: found ? found.quality : null,
      evidence: evidenceText(data, found),
      reason: reason(specialist ? data.tasks[taskIndex][T.label] : "", fmt, need, q, budget, speed, specialist,
        r[M.tool_calling] === -1 && !!q.tools, slowBelow, offload, runtime),
      commands: commandsOf(r[M.downloads], fmt, q, offload, runtime, via),
      ram_gb: offload ? offload.inRam : 0
    };
  }

  /* {quality, used} of a model for the task (general ability when none), or null (selector.py's _evidence). */
  function evidenceOf(data, r, M, taskIndex) {
    var T = columns(data, "tasks"), task = taskIndex;
    if (task < 0) task = data.tasks.map(function (t) { return t[T.key]; }).indexOf(data.constants.general_task);
    var rows = r[M.evidence];
    for (var i = 0; i < rows.length; i++) {
      if (rows[i][0] === task) return { quality: rows[i][1], used: rows[i][2] };
    }
    return null;
  }

  function fmtScore(x) {  // Python's format(x, "g") for the scores the catalog holds (at most 6 digits)
    return String(Number(x.toPrecision(6)));
  }

  /* The scores a rank rests on, in words (selector.py's _evidence_text). */
  function evidenceText(data, found) {
    if (!found) return data.constants.no_evidence;
    function score(s) {
      return data.benchmarks[s[0]][0] + " " + fmtScore(s[1]) + " (" + data.classes[s[2]][0] +
        (s[3] ? ", independent" : "") + ")";
    }
    var compared = found.used.filter(function (s) { return s[4]; });
    var apart = found.used.filter(function (s) { return !s[4]; });
    var independent = compared.reduce(function (n, s) { return n + s[3]; }, 0);
    var text = compared.map(score).join(", ") + ": quality " + fmtNumber(found.quality, 2) + " from " +
      compared.length + " comparable score" + (compared.length !== 1 ? "s" : "") + " (" + independent + " independent)";
    return text + (apart.length ? "; not comparable: " + apart.map(score).join(", ") : "");
  }

  /* Parameters of the routed experts one token uses, billions (selector.py's active_experts_b). */
  function activeExperts(r, M) {
    var shared = r[M.params_b] - r[M.expert_params_b];
    return Math.max(r[M.active_params_b] - shared, 0);
  }

  /* With --cpu-moe: the best format whose shared part, context and overhead fit the GPUs and whose routed
   * experts fit the system RAM (selector.py's _best_offload). */
  function bestOffload(data, r, M, contextGb, budget, q) {
    var formats = ggufFormats(data, r, M, q);
    var shareOfExperts = r[M.expert_params_b] / r[M.params_b];
    var ramBudget = round(q.ram_gb * (1 - q.headroom), 2);
    for (var f = 0; f < formats.length; f++) {
      var found = formats[f], weights = found.weights;
      var inRam = round(weights * shareOfExperts, 2);
      var need = round(weights - inRam + contextGb + data.constants.overhead_gb * q.gpus, 2);
      if (need <= budget && inRam <= ramBudget) {
        return {
          kind: "experts", fmt: found.fmt, bits: found.bits, ppl: found.ppl, need: need, inRam: inRam, via: found.via
        };
      }
    }
    return null;
  }

  /* The formats llama.cpp can run with part of the model in system RAM (selector.py's _gguf_formats). */
  function ggufFormats(data, r, M, q) {
    return formatsOf(data, r, M).filter(function (found) { return runtimeFor(found.fmt, found.via & VIA_GGUF, q); });
  }

  /* With --n-gpu-layers N: the best format of which N >= 1 layers, the KV cache and the overhead fit the GPUs and
   * the other layers the system RAM (selector.py's _best_layer_split). */
  function bestLayerSplit(data, r, M, contextGb, budget, q) {
    var formats = ggufFormats(data, r, M, q), layers = r[M.layers];
    var ramBudget = round(q.ram_gb * (1 - q.headroom), 2);
    var room = budget - contextGb - data.constants.overhead_gb * q.gpus;
    for (var f = 0; f < formats.length; f++) {
      var found = formats[f], weights = found.weights;
      var onGpu = room > 0 ? Math.min(Math.floor(room / (weights / layers)), layers - 1) : 0;
      var inRam = round(weights * (layers - onGpu) / layers, 2);
      if (onGpu >= 1 && inRam <= ramBudget) {
        var need = round(weights - inRam + contextGb + data.constants.overhead_gb * q.gpus, 2);
        return {
          kind: "layers", fmt: found.fmt, bits: found.bits, ppl: found.ppl, need: need,
          inRam: inRam, gpuLayers: onGpu, ramShare: (layers - onGpu) / layers, via: found.via
        };
      }
    }
    return null;
  }

  /* The lines that run a ranked model in its format (generator/model/commands.py writes the same), or []
   * when no GGUF repository the catalog knows holds that format. */
  function commandsOf(downloads, fmt, q, offload, runtime, via) {
    var lines = [];
    if (runtime === GPU_RUNTIME) {
      var serve = ["vllm", "serve", downloads.safetensors];
      if (q.context) serve.push("--max-model-len", String(q.context));
      if (q.cache === "fp8") serve.push("--kv-cache-dtype", "fp8");
      if (q.gpus > 1) serve.push("--tensor-parallel-size", String(q.gpus));
      lines.push([GPU_RUNTIME, serve.join(" ")]);
    }
    if (!(via & VIA_GGUF) || GGUF_CACHES.indexOf(q.cache) < 0) return lines;
    return lines.concat(ggufCommands(downloads, fmt, q, offload));
  }

  function ggufCommands(downloads, fmt, q, offload) {
    var gguf = downloads.gguf;
    for (var i = 0; i < gguf.length; i++) {
      var repo = gguf[i][0], quants = gguf[i][1];
      if (!Object.prototype.hasOwnProperty.call(quants, fmt.toUpperCase())) continue;
      var server = ["llama-server", "-hf", repo + ":" + fmt];
      if (q.context) server.push("-c", String(q.context));
      if (q.cache !== "f16") server.push("--cache-type-k", q.cache, "--cache-type-v", q.cache);
      if (offload) {
        if (offload.kind === "experts") server.push("--cpu-moe");
        else server.push("--n-gpu-layers", String(offload.gpuLayers));
        return [["llama-cpp", server.join(" ")]];
      }
      var env = [];
      if (q.context) env.push("OLLAMA_CONTEXT_LENGTH=" + q.context);
      if (q.cache !== "f16") env.push("OLLAMA_KV_CACHE_TYPE=" + q.cache);
      env.push("ollama serve");
      var lines = [["llama-cpp", server.join(" ")], ["ollama", env.join(" ") + "\nollama run hf.co/" + repo + ":" + fmt]];
      if (q.cache === "f16") {  // LM Studio's CLI has no cache-type option (commands.py's lm_studio)
        var load = ["lms", "load"].concat(q.context ? ["--context-length", String(q.context)] : [], ["--gpu", "max"]);
        lines.push(["lm-studio", "lms get https://huggingface.co/" + repo + " -a  # choose " + fmt + "\n" +
          load.join(" ") + "  # choose that model"]);
      }
      return lines;
    }
    return [];
  }

  /* data: the inlined selector data; q: {budget_gb, task, bandwidth_gb_s, context, input, tools, tools_unknown,
   * cache, headroom, commercial, no_user_cap, free_outputs, osi, limit}. Returns [{id, format, memory_gb,
   * context_gb, tokens_per_s, score, reason}] best first. */
  function rank(data, query) {
    var q = defaults(query, data);
    var M = columns(data, "models"), L = columns(data, "licences"), ix = indexes(data, q);
    var results = [];
    for (var i = 0; i < data.models.length; i++) {
      var r = data.models[i];
      if (!passes(data, r, M, L, q, ix.task, ix.input) || screen(r, M, q)) continue;
      var found = fitRow(data, r, M, q, ix.task);
      if (found) results.push(found);
    }
    results.sort(function (a, b) {
      return b.band - a.band || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return results.slice(0, q.limit || 10);
  }

  /* Models that pass the filters but whose fit cannot be told, each with what is missing, by id. */
  function cantTell(data, query) {
    var q = defaults(query, data);
    var M = columns(data, "models"), L = columns(data, "licences"), ix = indexes(data, q), out = [];
    data.models.forEach(function (r) {
      var why = passes(data, r, M, L, q, ix.task, ix.input) ? screen(r, M, q) : null;
      if (why) out.push({ id: r[M.id], missing: why });
    });
    return out.sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });
  }

  /* ------------------------------------------------------------------ the widget */

  var FIELDS = ["task", "hw", "n", "mem", "ram", "ctx", "in", "kv", "free", "tools", "tu", "com", "cap", "out", "osi"];
  var FLAGS = {
    tools: "tools", tu: "tools_unknown", com: "commercial", cap: "no_user_cap", out: "free_outputs", osi: "osi"
  };

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
    q.cache = state.kv || "f16";
    q.gpus = [2, 4, 8].indexOf(Number(state.n)) >= 0 ? Number(state.n) : 1;
    q.ram_gb = Number(state.ram) > 0 ? Number(state.ram) : 0;
    var free = state.free === undefined || state.free === "" || isNaN(Number(state.free)) ? null : Number(state.free);
    q.headroom = free === null ? data.constants.headroom : free / 100;
    var machine = data.hardware.filter(function (h) { return h[H.id] === state.hw; })[0];
    q.budget_gb = machine ? machine[H.usable_gb] : Number(state.mem) || 8;
    q.bandwidth_gb_s = machine ? machine[H.bandwidth_gb_s] : null;
    q.precisions = machine ? machine[H.precisions] : [];
    Object.keys(FLAGS).forEach(function (k) { q[FLAGS[k]] = state[k] === "1"; });
    return q;
  }

  var el;  // AtlasWidget.el (widget.js), set where the page starts the widget; node never builds elements

  function mount(rootEl) {
    var dataEl = document.querySelector("script[data-atlas-selector-data]");
    if (!dataEl) return;
    var data = JSON.parse(dataEl.textContent);
    var form = rootEl.querySelector("form");
    var list = rootEl.querySelector("[data-atlas-results]");
    var summary = rootEl.querySelector("[data-atlas-summary]");
    var unknownBox = rootEl.querySelector("[data-atlas-unknown]");
    var unknownList = rootEl.querySelector("[data-atlas-unknown-list]");
    var unknownSummary = rootEl.querySelector("[data-atlas-unknown-summary]");
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
        "in": form.elements["in"], kv: form.elements.kv, free: form.elements.free, n: form.elements.n,
        ram: form.elements.ram,
        tools: form.elements.tools,
        tu: form.elements.tu, com: form.elements.com, cap: form.elements.cap, out: form.elements.out,
        osi: form.elements.osi
      };
    }

    function formState() {
      var c = controls(), state = {};
      ["task", "hw", "ctx", "in", "kv", "n", "ram"].forEach(function (k) { state[k] = c[k].value; });
      state.free = c.free.value === String(Math.round(data.constants.headroom * 100)) ? "" : c.free.value;
      state.mem = c.hw.value ? "" : c.mem.value;
      Object.keys(FLAGS).forEach(function (k) { state[k] = c[k].checked ? "1" : ""; });
      return state;
    }

    function showState(state) {
      var c = controls();
      ["task", "hw", "ctx", "in", "kv", "n", "ram"].forEach(function (k) { c[k].value = state[k] || ""; });
      if (!c.ctx.value) c.ctx.value = String(data.constants.default_context);
      c.free.value = state.free || String(Math.round(data.constants.headroom * 100));
      c.tu.disabled = !c.tools.checked;
      c.mem.value = state.mem || c.mem.value || "8";
      c.mem.disabled = !!c.hw.value;
      Object.keys(FLAGS).forEach(function (k) { c[k].checked = state[k] === "1"; });
    }

    function render() {
      var q = queryOf(formState(), data);
      var results = rank(data, q);
      while (list.firstChild) list.removeChild(list.firstChild);
      summary.textContent = results.length
        ? "Best " + results.length + " for " + fmtBudget(budgetOf(q)) + " of " + fmtBudget(q.budget_gb) + " GB" +
          (q.context ? " at " + q.context.toLocaleString("en") + " tokens of context" : "")
        : "No model in the catalog fits these needs. Try more memory, a shorter context or fewer constraints.";
      showUnknown(cantTell(data, q));
      var compareTop = rootEl.querySelector("[data-atlas-compare-top]");
      if (compareTop) {
        compareTop.hidden = results.length < 2;
        compareTop.href = base + data.constants.compare_page + "#m=" +
          results.slice(0, 3).map(function (res) { return encodeURIComponent(res.id); }).join(",");
      }
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
        var mem = el("span", "atlas-badge", fmtNumber(res.memory_gb, 1) + " GB");
        mem.title = r[M.formula];
        facts.appendChild(mem);
        if (res.ram_gb) facts.appendChild(el("span", "atlas-badge", "+ " + fmtNumber(res.ram_gb, 1) + " GB RAM"));
        if (res.tokens_per_s !== null) facts.appendChild(el("span", "atlas-badge", "~" + fmtNumber(res.tokens_per_s, 0) + " tok/s"));
        var lic = el("span", "atlas-badge atlas-badge--licence-" + (licence ? licence[L.commercial_use] : "unknown"),
          licence ? licence[L.name] : "Licence unknown");
        lic.title = licence ? "Commercial use: " + licence[L.commercial_use] : "Licence unknown";
        facts.appendChild(lic);
        item.appendChild(facts);
        item.appendChild(el("p", "atlas-selector__reason", res.reason));
        item.appendChild(el("p", "atlas-selector__evidence" + (res.band ? "" : " atlas-selector__evidence--none"),
          (res.band ? "Evidence: " : "") + res.evidence));
        item.appendChild(el("p", "atlas-selector__formula", "Cache: " + r[M.formula]));
        if (res.commands.length) {
          res.commands.forEach(function (c) {
            var block = el("pre", "atlas-selector__command");
            block.appendChild(el("code", null, c[1]));
            block.title = { "llama-cpp": "llama.cpp", ollama: "Ollama", vllm: "vLLM", "lm-studio": "LM Studio" }[c[0]] || c[0];
            item.appendChild(block);
          });
        } else {
          item.appendChild(el("p", "atlas-selector__nocommand",
            "No GGUF repository with " + res.format + " is in the catalog yet, so no command is given."));
        }
        list.appendChild(item);
      });
    }

    function showUnknown(found) {
      while (unknownList.firstChild) unknownList.removeChild(unknownList.firstChild);
      unknownBox.hidden = found.length === 0;
      unknownSummary.textContent = "Can't tell (" + found.length + "): not ranked because a fact is unknown";
      found.forEach(function (u) {
        var r = byId[u.id];
        var family = r[M.family] >= 0 ? data.families[r[M.family]][Fam.id] : "";
        var item = el("li");
        var link = el("a", null, r[M.name]);
        link.href = base + data.constants.model_page.replace("{family}", encodeURIComponent(family))
          .replace("{id}", encodeURIComponent(r[M.id]));
        item.appendChild(link);
        item.appendChild(document.createTextNode(": " + u.missing));
        unknownList.appendChild(item);
      });
    }

    function fromUrl() {
      showState(readState(window.location.hash));
      render();
    }

    form.addEventListener("change", function () {
      var hash = writeState(formState());
      controls().mem.disabled = !!controls().hw.value;
      controls().tu.disabled = !controls().tools.checked;
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

  /* One model on one query, whatever the filters (selector.py's fit): {fits: true, ...}, {fits: false}, or
   * {fits: null, missing} when it cannot be told. The compare page uses it. */
  function fitOne(data, id, query) {
    var q = defaults(query, data), M = columns(data, "models");
    var r = data.models.filter(function (row) { return row[M.id] === id; })[0];
    var screened = {};
    Object.keys(q).forEach(function (k) { screened[k] = q[k]; });
    screened.tools = false;
    var why = screen(r, M, screened);
    if (why) return { fits: null, missing: why };
    var found = fitRow(data, r, M, q, indexes(data, q).task);
    if (!found) return { fits: false };
    found.fits = true;
    return found;
  }

  /* A model's memory at a context: the KV cache and state (GB), and each of its formats' weights and total need
   * (weights + context + one runtime overhead), best format first; null when it cannot be computed. */
  function memoryOf(data, id, context, cacheType) {
    var M = columns(data, "models");
    var r = data.models.filter(function (row) { return row[M.id] === id; })[0];
    if (!r || r[M.unknown]) return null;
    var contextGb = (kvBytes(r[M.cache], context, data, cacheType || "f16") + r[M.state_bytes]) / 1e9;
    return {
      context_gb: round(contextGb, 2),
      formats: formatsOf(data, r, M).map(function (f) {
        return { format: f.fmt, weights_gb: f.weights, need_gb: round(f.weights + contextGb + data.constants.overhead_gb, 2),
          release: !!(f.via & VIA_RELEASE) };
      })
    };
  }

  var api = {
    rank: rank, cantTell: cantTell, readState: readState, writeState: writeState, queryOf: queryOf, fitOne: fitOne,
    memoryOf: memoryOf
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.AtlasSelector = api;
    el = root.AtlasWidget.el;
    root.AtlasWidget.mountAll("[data-atlas-selector]", mount);
  }
})(this);
