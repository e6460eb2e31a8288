/* The cost calculator: what a month of generated tokens costs bought, rented or from an API, with the
 * reader's own numbers.
 *
 * options(), monthlyUsd() and breakEvens() are the browser twins of generator/model/costs.py
 * (tests/test_costs.py runs both on the same inputs and compares). The starting values are inlined in the
 * page (no fetch: works from file://), with the constants both twins share (inputs.constants: days per
 * month, the break-even search's samples and bisections); every text put into the page goes through
 * textContent. */
(function (root) {
  "use strict";

  function options(i) {
    var hours = i.hours_per_day * i.constants.days_per_month;
    var local = i.local, rented = i.rented;
    var kwhPerM = local.power_w / 1000 * 1e6 / (local.tokens_per_s * 3600);
    var found = [
      { key: "local", label: "Buy: " + local.hardware, fixed_usd: local.usd / i.amortize_months,
        usd_per_m: kwhPerM * i.usd_per_kwh, capacity_m: local.tokens_per_s * 3600 * hours / 1e6 },
      { key: "rented", label: "Rent: " + rented.hardware + " (" + rented.seller + ")",
        fixed_usd: rented.usd_per_hour * hours, usd_per_m: 0, capacity_m: rented.tokens_per_s * 3600 * hours / 1e6 }
    ];
    i.apis.forEach(function (api) {
      found.push({ key: api.price, label: "API: " + api.name, fixed_usd: 0,
        usd_per_m: i.input_per_output * api.input_usd_per_m + api.output_usd_per_m, capacity_m: null });
    });
    return found;
  }

  function machines(option, volume) {
    if (option.capacity_m === null) return 0;
    return Math.max(1, Math.ceil(volume / option.capacity_m));
  }

  function monthlyUsd(option, volume) {
    return machines(option, volume) * option.fixed_usd + volume * option.usd_per_m;
  }

  function logGrid(lo, hi, n) {
    var out = [];
    for (var k = 0; k < n; k++) out.push(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * k / (n - 1)));
    return out;
  }

  /* constants: the inputs' constants (samples on the log grid, bisections per sign change). */
  function breakEvens(found, lo, hi, constants) {
    var grid = logGrid(lo, hi, constants.samples);
    var out = [];
    for (var x = 0; x < found.length; x++) {
      for (var y = x + 1; y < found.length; y++) {
        var a = found[x], b = found[y];
        var diff = function (v) { return monthlyUsd(a, v) - monthlyUsd(b, v); };
        for (var k = 0; k + 1 < grid.length; k++) {
          var left = grid[k], right = grid[k + 1];
          if ((diff(left) < 0) === (diff(right) < 0)) continue;
          var below = diff(left) < 0;
          for (var n = 0; n < constants.bisections; n++) {
            var mid = Math.sqrt(left * right);
            if ((diff(mid) < 0) === below) left = mid; else right = mid;
          }
          var after = below ? b : a;
          out.push({ a: a.key, b: b.key, volume_m: right, usd: monthlyUsd(after, right), cheaper_after: after.key });
        }
      }
    }
    out.sort(function (p, q) {
      if (p.volume_m !== q.volume_m) return p.volume_m - q.volume_m;
      return p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0;
    });
    return out;
  }

  function tokens(volume) {
    var value = Number(volume.toPrecision(3));
    if (value >= 1000) return String(Number((value / 1000).toPrecision(3))) + "B";
    return String(value) + "M";
  }

  function money(usd) {
    var digits = usd >= 10 ? 0 : 2;
    return "$" + usd.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  /* Reads the form into a copy of the page's inputs; a field left empty or invalid keeps its default. */
  function readForm(form, defaults) {
    var i = JSON.parse(JSON.stringify(defaults));
    function num(name, fallback, zeroAllowed) {
      var field = form.elements[name];
      var value = field ? Number(field.value) : NaN;
      var ok = field && field.value !== "" && isFinite(value) && (value > 0 || (zeroAllowed && value === 0));
      return ok ? value : fallback;
    }
    i.input_per_output = num("input_per_output", i.input_per_output, true);
    i.hours_per_day = Math.min(24, num("hours_per_day", i.hours_per_day));
    i.amortize_months = num("amortize_months", i.amortize_months);
    i.usd_per_kwh = num("usd_per_kwh", i.usd_per_kwh);
    i.local.usd = num("local_usd", i.local.usd);
    i.local.power_w = num("local_power_w", i.local.power_w);
    i.local.tokens_per_s = num("local_tokens_per_s", i.local.tokens_per_s);
    i.rented.usd_per_hour = num("rented_usd_per_hour", i.rented.usd_per_hour);
    i.rented.tokens_per_s = num("rented_tokens_per_s", i.rented.tokens_per_s);
    i.apis.forEach(function (api, k) {
      api.input_usd_per_m = num("api" + k + "_in", api.input_usd_per_m);
      api.output_usd_per_m = num("api" + k + "_out", api.output_usd_per_m);
    });
    return { inputs: i, volume: num("volume_m", 100) };
  }

  var el;  // AtlasWidget.el (widget.js), set where the page starts the calculators; node never builds elements

  function mount(rootEl) {
    var form = rootEl.querySelector("form");
    var defaults = JSON.parse(rootEl.querySelector("[data-atlas-cost-data]").textContent);
    var body = rootEl.querySelector("[data-atlas-cost-results]");
    var evensList = rootEl.querySelector("[data-atlas-cost-evens]");
    var summary = rootEl.querySelector("[data-atlas-cost-summary]");

    function render() {
      var read = readForm(form, defaults);
      var found = options(read.inputs);
      var costs = found.map(function (o) { return monthlyUsd(o, read.volume); });
      var cheapest = costs.indexOf(Math.min.apply(null, costs));
      body.textContent = "";
      found.forEach(function (o, k) {
        var row = el("tr");
        row.appendChild(el("td", null, o.label));
        row.appendChild(el("td", null, money(costs[k])));
        row.appendChild(el("td", null, money(costs[k] / read.volume)));
        row.appendChild(el("td", null, o.capacity_m === null ? "—" : String(machines(o, read.volume))));
        if (k === cheapest) row.className = "atlas-cost__cheapest";
        body.appendChild(row);
      });
      summary.textContent = "At " + tokens(read.volume) + " generated tokens a month the cheapest is " +
        found[cheapest].label + ", " + money(costs[cheapest]) + " a month.";
      var labels = {};
      found.forEach(function (o) { labels[o.key] = o.label; });
      var range = defaults.volume_range_m;
      evensList.textContent = "";
      var evens = breakEvens(found, range[0], range[1], defaults.constants);
      evens.forEach(function (e) {
        var other = e.cheaper_after === e.a ? e.b : e.a;
        evensList.appendChild(el("li", null, "From " + tokens(e.volume_m) + " a month: " + labels[e.cheaper_after] +
          " is cheaper than " + labels[other] + " (" + money(e.usd) + " a month)."));
      });
      if (!evens.length) evensList.appendChild(el("li", null, "No break-even between " + tokens(range[0]) + " and " +
        tokens(range[1]) + " tokens a month: one option stays cheapest."));
    }

    form.addEventListener("input", render);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    render();
  }

  var api = { options: options, monthlyUsd: monthlyUsd, breakEvens: breakEvens, machines: machines, readForm: readForm };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.AtlasCost = api;
    el = root.AtlasWidget.el;
    root.AtlasWidget.mountAll("[data-atlas-cost]", mount);
  }
})(this);
