/* The model compare page: 2-4 models side by side, facts with sources, licence terms, memory at a context, fit
 * and speed on a machine (the selector's own functions: AtlasSelector.memoryOf and fitOne), benchmark scores with
 * their settings, flagging scores whose settings differ and greying those that cannot be compared, and stored runs.
 *
 * Both data blobs are inlined in the page (no fetch: works from file://). The state lives in the URL fragment
 * (#m=id,id&ctx=32768&hw=h100-sxm): shareable, and the back button works; a model page opens it with ?m=<id>. Catalog text goes in with textContent
 * only; links are set only to https URLs and the site's own relative pages. */
(function () {
  "use strict";

  var MAX = 4;
  var CONTEXTS = [4096, 8192, 32768, 131072];

  var el = window.AtlasWidget.el;

  function link(text, href, base) {
    var a = el("a", null, text);
    if (/^https:\/\//.test(href)) {
      a.href = href;
      a.rel = "noopener";
    } else {
      a.href = (base || "") + href;
    }
    return a;
  }

  function readState() {
    // the fragment holds the state; a model page links with ?m=<id> (a plain link every checker can follow)
    var params = new URLSearchParams(window.location.hash.replace(/^#/, "") || window.location.search.replace(/^\?/, ""));
    return {
      m: (params.get("m") || "").split(",").filter(Boolean).slice(0, MAX),
      ctx: Number(params.get("ctx")) || 8192,
      hw: params.get("hw") || ""
    };
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.m.length) params.set("m", state.m.join(","));
    if (state.ctx !== 8192) params.set("ctx", String(state.ctx));
    if (state.hw) params.set("hw", state.hw);
    return "#" + params.toString();
  }

  function fmtGb(x) {
    return x === null || x === undefined ? "unknown" : (Math.round(x * 10) / 10).toFixed(1) + " GB";
  }

  function mount(root) {
    var selectorData = JSON.parse(document.querySelector("script[data-atlas-selector-data]").textContent);
    var data = JSON.parse(document.querySelector("script[data-atlas-compare-data]").textContent);
    var S = window.AtlasSelector;
    var M = {}, H = {}, L = {};
    selectorData.columns.models.forEach(function (n, i) { M[n] = i; });
    selectorData.columns.hardware.forEach(function (n, i) { H[n] = i; });
    selectorData.columns.licences.forEach(function (n, i) { L[n] = i; });
    var rows = {}, facts = {};
    selectorData.models.forEach(function (r) { rows[r[M.id]] = r; });
    data.models.forEach(function (f) { facts[f[0]] = f; });
    var form = root.querySelector("form"), out = root.querySelector("[data-atlas-compare-table]");
    var names = selectorData.models.map(function (r) { return [r[M.id], r[M.name]]; })
      .sort(function (a, b) { return a[1].localeCompare(b[1]); });

    for (var i = 0; i < MAX; i++) {
      var sel = form.elements["m" + i];
      sel.appendChild(el("option", null, i < 2 ? "Choose a model" : "(none)")).value = "";
      names.forEach(function (n) { sel.appendChild(el("option", null, n[1])).value = n[0]; });
    }
    CONTEXTS.forEach(function (c) {
      form.elements.ctx.appendChild(el("option", null, c.toLocaleString("en") + " tokens")).value = String(c);
    });
    form.elements.hw.appendChild(el("option", null, "Choose a machine")).value = "";
    selectorData.hardware.forEach(function (h) { form.elements.hw.appendChild(el("option", null, h[H.name])).value = h[H.id]; });

    function formState() {
      var m = [];
      for (var i = 0; i < MAX; i++) if (form.elements["m" + i].value) m.push(form.elements["m" + i].value);
      return { m: m, ctx: Number(form.elements.ctx.value) || 8192, hw: form.elements.hw.value };
    }

    function showState(state) {
      for (var i = 0; i < MAX; i++) form.elements["m" + i].value = rows[state.m[i]] ? state.m[i] : "";
      form.elements.ctx.value = String(CONTEXTS.indexOf(state.ctx) >= 0 ? state.ctx : 8192);
      form.elements.hw.value = state.hw;
    }

    function section(tbody, title, count) {
      var tr = el("tr", "atlas-compare__section");
      var th = el("th", null, title);
      th.colSpan = count + 1;
      th.scope = "colgroup";
      tr.appendChild(th);
      tbody.appendChild(tr);
    }

    function row(tbody, label, cells) {
      var tr = el("tr");
      var th = el("th", null, label);
      th.scope = "row";
      tr.appendChild(th);
      cells.forEach(function (c) { tr.appendChild(c); });
      tbody.appendChild(tr);
      return tr;
    }

    function valueCell(value, sourceIndex) {
      var td = el("td"), source = sourceIndex >= 0 ? data.sources[sourceIndex] : null;
      td.appendChild(document.createTextNode(value === null || value === undefined ? "unknown" :
        value === true ? "yes" : value === false ? "no" : String(value)));
      if (source) {
        td.appendChild(document.createTextNode(" "));
        var a = link("source", source[0]);
        a.className = "atlas-compare__source";
        if (source[1]) a.title = source[1];
        td.appendChild(a);
      }
      return td;
    }

    function render() {
      var state = formState(), ids = state.m.filter(function (id) { return rows[id]; });
      while (out.firstChild) out.removeChild(out.firstChild);
      if (ids.length < 2) {
        out.appendChild(el("p", null, "Choose two to four models to compare them side by side."));
        return;
      }
      var table = el("table", "atlas-compare__table"), thead = el("thead"), tbody = el("tbody");
      var head = el("tr");
      head.appendChild(el("th", null, ""));
      ids.forEach(function (id) {
        var th = el("th");
        th.scope = "col";
        th.appendChild(link(rows[id][M.name], facts[id][1]));
        head.appendChild(th);
      });
      thead.appendChild(head);
      table.appendChild(thead);

      section(tbody, "Facts", ids.length);
      data.facts.forEach(function (label, k) {
        row(tbody, label, ids.map(function (id) {
          var f = facts[id][2][k];
          if (label === "Licence") {
            var lic = data.licences[f[0]];
            var td = el("td");
            if (lic) td.appendChild(link(lic[0], lic[1])); else td.textContent = "unknown";
            return td;
          }
          return valueCell(f[0], f[1]);
        }));
      });

      section(tbody, "Licence terms", ids.length);
      data.terms.forEach(function (label, k) {
        row(tbody, label, ids.map(function (id) {
          var lic = data.licences[facts[id][2][data.facts.indexOf("Licence")][0]];
          if (!lic) return valueCell(null);
          var term = lic[2][k];
          return valueCell(term[0] === null ? "none stated" : term[0], term[1]);
        }));
      });

      section(tbody, "Memory at " + state.ctx.toLocaleString("en") + " tokens (16-bit KV cache, one sequence)", ids.length);
      var memory = {};
      ids.forEach(function (id) { memory[id] = S.memoryOf(selectorData, id, state.ctx, "f16"); });
      row(tbody, "KV cache and state", ids.map(function (id) {
        var td = valueCell(memory[id] ? fmtGb(memory[id].context_gb) : "can't tell: " + rows[id][M.unknown] + " unknown");
        td.title = rows[id][M.formula];
        return td;
      }));
      var formats = [];
      ids.forEach(function (id) {
        (memory[id] ? memory[id].formats : []).forEach(function (f) { if (formats.indexOf(f.format) < 0) formats.push(f.format); });
      });
      formats.forEach(function (fmt) {
        row(tbody, fmt + " total", ids.map(function (id) {
          var found = memory[id] && memory[id].formats.filter(function (f) { return f.format === fmt; })[0];
          return valueCell(found ? fmtGb(found.need_gb) : "—");
        }));
      });

      var machine = selectorData.hardware.filter(function (h) { return h[H.id] === state.hw; })[0];
      if (machine) {
        section(tbody, "On " + machine[H.name] + " at " + state.ctx.toLocaleString("en") + " tokens", ids.length);
        var q = { budget_gb: machine[H.usable_gb], bandwidth_gb_s: machine[H.bandwidth_gb_s], precisions: machine[H.precisions],
          context: state.ctx, limit: 1 };
        var fits = {};
        ids.forEach(function (id) { fits[id] = S.fitOne(selectorData, id, q); });
        row(tbody, "Fits?", ids.map(function (id) {
          var f = fits[id];
          return valueCell(f.fits === null ? "can't tell: " + f.missing : f.fits ? "yes: " + f.format + ", " + fmtGb(f.memory_gb) : "no");
        }));
        row(tbody, "Speed (estimate)", ids.map(function (id) {
          var f = fits[id];
          return valueCell(f.fits && f.tokens_per_s !== null ? "about " + Math.round(f.tokens_per_s) + " tokens/s" : "—");
        }));
        row(tbody, "Command", ids.map(function (id) {
          var f = fits[id], td = el("td");
          if (f.fits && f.commands.length) td.appendChild(el("code", null, f.commands[0][1]));
          else td.textContent = "—";
          return td;
        }));
      }

      section(tbody, "Benchmarks (as published, with their settings)", ids.length);
      var benchmarks = [];
      ids.forEach(function (id) {
        facts[id][3].forEach(function (s) { if (benchmarks.indexOf(s[0]) < 0) benchmarks.push(s[0]); });
      });
      benchmarks.sort();
      benchmarks.forEach(function (name) {
        var found = ids.map(function (id) { return facts[id][3].filter(function (s) { return s[0] === name; })[0]; });
        var classes = found.filter(Boolean).map(function (s) { return s[5]; });
        var differ = classes.length > 1 && classes.some(function (c) { return c !== classes[0]; });
        var tr = row(tbody, name + (differ ? " ⚠" : ""), found.map(function (s) {
          if (!s) return valueCell("—");
          var td = el("td", s[6] ? null : "atlas-compare--grey");
          td.appendChild(link(String(s[1]), data.sources[s[4]][0]));
          td.appendChild(el("span", "atlas-compare__setting", " " + (s[2] || "setting not stated") +
            (s[3] === "independent" ? " (independent)" : "")));
          td.title = "Compared as: " + s[5] + (s[6] ? "" : " (too few comparable scores to place it)");
          if (differ) td.className += " atlas-compare--differs";
          return td;
        }));
        if (differ) tr.firstChild.title = "Settings differ: " + classes.join(" / ") + ". These scores are not like for like.";
      });
      if (!benchmarks.length) row(tbody, "No scores", ids.map(function () { return valueCell("—"); }));

      section(tbody, "Stored runs", ids.length);
      row(tbody, "Runs", ids.map(function (id) {
        var td = el("td"), runs = facts[id][4];
        if (!runs.length) td.textContent = "none yet";
        runs.forEach(function (r, i) {
          if (i) td.appendChild(document.createTextNode(", "));
          td.appendChild(link(r[0], r[1]));
        });
        return td;
      }));

      table.appendChild(tbody);
      var wrap = el("div", "atlas-compare__scroll");
      wrap.appendChild(table);
      out.appendChild(wrap);
      out.appendChild(el("p", "atlas-compare__legend",
        "⚠ marks a benchmark whose scores were measured in different settings (mode, version or shots): they are " +
        "not like for like. Greyed scores are in a setting with too few comparable scores for the ranking to place."));
    }

    function fromUrl() {
      showState(readState());
      render();
    }

    form.addEventListener("change", function () {
      var hash = writeState(formState());
      if (hash !== window.location.hash) window.location.hash = hash; else render();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", fromUrl);
    fromUrl();
  }

  window.AtlasWidget.mountAll("[data-atlas-compare]", mount);
})();
