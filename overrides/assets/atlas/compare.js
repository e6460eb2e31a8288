/* The head-to-head comparator: two or three stored runs of one suite, answer beside answer.
 *
 * view() is pure (tests run it in node): from the page's data and the reader's choices it picks the runs,
 * the prompts to show and what each run alone passed. Blind mode labels the runs Answer A, B, C in an
 * order drawn at page load and hides names, scores, speeds and pass marks until the reader reveals them. The data is
 * inlined in the page (no fetch: works from file://); every text put into the page goes through
 * textContent. The choices live in the address bar (#a=…&b=…), so a comparison can be shared. */
(function (root) {
  "use strict";

  var FIELDS = ["a", "b", "c", "cat", "differ", "blind"];
  var LETTERS = ["A", "B", "C"];

  function readState(hash) {
    var params = new URLSearchParams((hash || "").replace(/^#/, ""));
    var state = {};
    FIELDS.forEach(function (k) { state[k] = params.get(k) || ""; });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    return "#" + params.toString();
  }

  function rate(answer) {
    return answer ? answer.passed / answer.asked : null;
  }

  /* order: a permutation of the chosen runs' positions, used only when blind. */
  function view(data, state, order) {
    var byId = {};
    data.runs.forEach(function (r) { byId[r.id] = r; });
    var chosen = [];
    [state.a, state.b, state.c].forEach(function (id) {
      if (id && byId[id] && chosen.indexOf(byId[id]) < 0) chosen.push(byId[id]);
    });
    var blind = state.blind === "1";
    var shown = !blind || !order ? chosen : order
      .filter(function (k) { return k < chosen.length; })
      .map(function (k) { return chosen[k]; });
    var columns = shown.map(function (run, i) {
      return { run: run, title: blind ? "Answer " + LETTERS[i] : run.label, onlyPassed: 0 };
    });
    var prompts = data.prompts.filter(function (p) { return !state.cat || p.category === state.cat; });
    var rows = [];
    prompts.forEach(function (p) {
      var cells = columns.map(function (col) { return col.run.answers[p.id] || null; });
      var rates = cells.map(rate);
      var differ = rates.some(function (r) { return r !== rates[0]; });
      if (state.differ === "1" && !differ) return;
      rates.forEach(function (r, i) {
        if (r === 1 && rates.every(function (other, j) { return j === i || other !== 1; })) columns[i].onlyPassed += 1;
      });
      rows.push({ prompt: p, cells: cells, differ: differ });
    });
    return { columns: columns, rows: rows, blind: blind, total: prompts.length };
  }

  function shuffled(n) {
    var order = [];
    for (var i = 0; i < n; i++) order.push(i);
    for (var j = n - 1; j > 0; j--) {
      var k = Math.floor(Math.random() * (j + 1));
      var t = order[j]; order[j] = order[k]; order[k] = t;
    }
    return order;
  }

  var el;  // AtlasWidget.el (widget.js), set where the page starts the widget; node never builds elements

  function pct(x) { return (100 * x).toFixed(1) + " %"; }

  function outcome(cell) {
    if (!cell) return ["atlas-compare__mark--none", "not asked"];
    if (cell.error && cell.passed === 0) return ["atlas-compare__mark--error", "error"];
    var word = cell.passed === cell.asked ? "passed" : cell.passed === 0 ? "failed" : "passed " + cell.passed + " of " + cell.asked;
    return [cell.passed === cell.asked ? "atlas-compare__mark--pass" : "atlas-compare__mark--fail", word];
  }

  function mount(rootEl) {
    var data = JSON.parse(rootEl.querySelector("script[data-atlas-compare-data]").textContent);
    var form = rootEl.querySelector("form");
    var status = rootEl.querySelector("[data-atlas-compare-status]");
    var summary = rootEl.querySelector("[data-atlas-compare-summary]");
    var list = rootEl.querySelector("[data-atlas-compare-prompts]");
    var reveal = rootEl.querySelector("[data-atlas-compare-reveal]");
    var order = shuffled(3);

    function formState() {
      var f = form.elements;
      return { a: f.a.value, b: f.b.value, c: f.c.value, cat: f.cat.value,
        differ: f.differ.checked ? "1" : "", blind: f.blind.checked ? "1" : "" };
    }

    function showState(state) {
      var f = form.elements;
      ["a", "b", "c", "cat"].forEach(function (k) {
        if (state[k] && [].some.call(f[k].options, function (o) { return o.value === state[k]; })) f[k].value = state[k];
        else if (k === "c" || k === "cat") f[k].value = "";
      });
      f.differ.checked = state.differ === "1";
      f.blind.checked = state.blind === "1";
    }

    function render() {
      var v = view(data, formState(), order);
      while (summary.firstChild) summary.removeChild(summary.firstChild);
      while (list.firstChild) list.removeChild(list.firstChild);
      reveal.hidden = !v.blind;
      if (v.columns.length < 2) {
        status.textContent = "Choose two different runs to compare.";
        return;
      }
      status.textContent = v.rows.length + " of " + v.total + " prompts shown" +
        (v.blind ? "; blind: names, scores and pass marks are hidden until you reveal them." : ".");
      v.columns.forEach(function (col) {
        var tr = el("tr");
        var name = el("td");
        if (v.blind) name.textContent = col.title;
        else { var a = el("a", null, col.title); a.href = col.run.page; name.appendChild(a); }
        tr.appendChild(name);
        var r = col.run;
        [v.blind ? "hidden" : pct(r.accuracy),
          v.blind ? "hidden" : pct(r.ci95[0]) + " – " + pct(r.ci95[1]),
          v.blind ? "hidden" : r.latency_p50_s === null ? "—" : r.latency_p50_s.toFixed(2) + " s",
          v.blind ? "hidden" : r.tokens_per_s === null ? "—" : String(Math.round(r.tokens_per_s)),
          v.blind ? "hidden" : String(col.onlyPassed),
          v.blind ? "hidden" : r.hardware + (r.example ? " (example run)" : "")
        ].forEach(function (text) { tr.appendChild(el("td", null, text)); });
        summary.appendChild(tr);
      });
      v.rows.forEach(function (row) {
        var section = el("section", "atlas-compare__prompt");
        section.appendChild(el("h3", null, row.prompt.id + " (" + row.prompt.category + ")"));
        section.appendChild(el("pre", "atlas-compare__question", row.prompt.prompt));
        if (!v.blind) section.appendChild(el("p", "atlas-compare__rule", "Passes if " + row.prompt.rule + "."));
        var grid = el("div", "atlas-compare__answers");
        row.cells.forEach(function (cell, i) {
          var box = el("div", "atlas-compare__answer");
          var head = el("p", "atlas-compare__head");
          head.appendChild(el("strong", null, v.columns[i].title));
          if (!v.blind) {
            var mark = outcome(cell);
            head.appendChild(el("span", "atlas-compare__mark " + mark[0], mark[1]));
          }
          if (!v.blind && cell && cell.latency_s !== null) head.appendChild(el("span", "atlas-compare__time", cell.latency_s.toFixed(2) + " s"));
          box.appendChild(head);
          if (cell && cell.error) box.appendChild(el("p", "atlas-compare__error", "Error: " + cell.error));
          box.appendChild(el("pre", "atlas-answer", cell ? cell.answer : ""));
          grid.appendChild(box);
        });
        section.appendChild(grid);
        list.appendChild(section);
      });
    }

    function fromUrl() {
      showState(readState(window.location.hash));
      render();
    }

    form.addEventListener("change", function () {
      var hash = writeState(formState());
      if (hash !== window.location.hash) window.location.hash = hash;
      else render();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    reveal.addEventListener("click", function () {
      form.elements.blind.checked = false;
      form.dispatchEvent(new Event("change"));
    });
    window.addEventListener("hashchange", fromUrl);
    fromUrl();
  }

  var api = { view: view, readState: readState, writeState: writeState };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.AtlasCompare = api;
    el = root.AtlasWidget.el;
    root.AtlasWidget.mountAll("[data-atlas-compare]", mount);
  }
})(this);
