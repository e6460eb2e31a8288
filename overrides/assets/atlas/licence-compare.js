/* Licences term by term: two to four licences side by side, each term's answer, the clause behind it and its
 * source. The data is inlined in the licences page (works from file://); the state lives in the URL fragment
 * (#l=id,id), and a licence page opens it with ?l=<id>. Catalog text goes in with textContent only; links are
 * set only to https URLs and the site's own pages. */
(function () {
  "use strict";

  var MAX = 4;

  var el = window.AtlasWidget.el;

  function mount(root) {
    var data = JSON.parse(document.querySelector("script[data-atlas-licence-data]").textContent);
    var form = root.querySelector("form"), out = root.querySelector("[data-atlas-compare-table]");
    var byId = {};
    data.licences.forEach(function (l) { byId[l[0]] = l; });
    for (var i = 0; i < MAX; i++) {
      var sel = form.elements["l" + i];
      sel.appendChild(el("option", null, i < 2 ? "Choose a licence" : "(none)")).value = "";
      data.licences.forEach(function (l) { sel.appendChild(el("option", null, l[1])).value = l[0]; });
    }

    function chosen() {
      var ids = [];
      for (var i = 0; i < MAX; i++) if (byId[form.elements["l" + i].value]) ids.push(form.elements["l" + i].value);
      return ids;
    }

    function render() {
      var ids = chosen();
      while (out.firstChild) out.removeChild(out.firstChild);
      if (ids.length < 2) {
        out.appendChild(el("p", null, "Choose two to four licences to compare them term by term."));
        return;
      }
      var table = el("table", "atlas-compare__table"), head = el("tr"), tbody = el("tbody");
      head.appendChild(el("th", null, "Term"));
      ids.forEach(function (id) {
        var th = el("th"), a = el("a", null, byId[id][1]);
        a.href = byId[id][2];
        th.scope = "col";
        th.appendChild(a);
        head.appendChild(th);
      });
      var thead = el("thead");
      thead.appendChild(head);
      table.appendChild(thead);
      data.terms.forEach(function (term, k) {
        var tr = el("tr"), th = el("th", null, term);
        th.scope = "row";
        tr.appendChild(th);
        var answers = ids.map(function (id) { return byId[id][3][k][0]; });
        var differ = answers.some(function (a) { return a !== answers[0]; });
        ids.forEach(function (id) {
          var row = byId[id][3][k], td = el("td", differ ? "atlas-compare--differs" : null);
          td.appendChild(el("strong", null, row[0]));
          if (row[1]) td.appendChild(el("span", "atlas-compare__setting", " " + row[1]));
          if (row[2] && /^https:\/\//.test(row[2])) {
            td.appendChild(document.createTextNode(" "));
            var a = el("a", "atlas-compare__source", "source");
            a.href = row[2];
            a.rel = "noopener";
            td.appendChild(a);
          }
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      var wrap = el("div", "atlas-compare__scroll");
      wrap.appendChild(table);
      out.appendChild(wrap);
      out.appendChild(el("p", "atlas-compare__legend", "Highlighted: the licences answer this term differently."));
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.hash.replace(/^#/, "") || window.location.search.replace(/^\?/, ""));
      var ids = (params.get("l") || "").split(",").filter(function (id) { return byId[id]; }).slice(0, MAX);
      for (var i = 0; i < MAX; i++) form.elements["l" + i].value = ids[i] || "";
      render();
      if (ids.length) root.scrollIntoView();
    }

    form.addEventListener("change", function () {
      var hash = "#l=" + chosen().join(",");
      if (hash !== window.location.hash) window.location.hash = hash; else render();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", fromUrl);
    fromUrl();
  }

  window.AtlasWidget.mountAll("[data-atlas-licence-compare]", mount);
})();
