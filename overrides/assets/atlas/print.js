/* The print page (print_page.html: the whole atlas on one page, which make pdf prints), made ready to print.
   - Headings are numbered from the place of their page in the nav: print-site gives each page's section a
     heading-number; the page's h1 gets it and its h2 and h3 count on under it. (The plugin's own numbering
     uses CSS id selectors, which break on ids with dots, such as llama-3.1-8b-instruct, so it is off.)
   - Links to the site's files (the data exports, the feed) would point into the folder the page was printed
     from: they point to the published site instead (its canonical address), or nowhere without one.
   - Folded blocks are opened, and every tab of a tabbed block is shown under its label.
   When done it sets data-atlas-print="ready" on <html>: the PDF step waits for that. */
(function () {
  "use strict";
  var root = document.getElementById("print-site-page");
  if (!root) return;
  root.classList.remove("print-site-enumerate-headings");

  function number(heading, text) {
    var span = document.createElement("span");
    span.className = "atlas-heading-number";
    span.textContent = text + " ";
    heading.insertBefore(span, heading.firstChild);
  }
  root.querySelectorAll("section.print-page[heading-number]").forEach(function (page) {
    var prefix = page.getAttribute("heading-number");
    var h1 = page.querySelector(":scope > h1");
    if (h1) number(h1, prefix);
    if (page.classList.contains("md-section")) return;  // a nav section: its pages number themselves
    var h2 = 0, h3 = 0;
    page.querySelectorAll("h2, h3").forEach(function (h) {
      if (h.closest("section.print-page") !== page) return;
      if (h.tagName === "H2") { h2 += 1; h3 = 0; number(h, prefix + "." + h2); }
      else if (h2) { h3 += 1; number(h, prefix + "." + h2 + "." + h3); }
    });
  });

  var here = new URL(".", location.href).href;
  var canonical = document.querySelector("link[rel=canonical]");
  root.querySelectorAll("a[href]").forEach(function (a) {
    if (a.getAttribute("href").charAt(0) === "#" || a.href.indexOf(here) !== 0) return;
    if (canonical) a.href = new URL(a.href.slice(here.length), new URL(".", canonical.href)).href;
    else a.removeAttribute("href");
  });

  root.querySelectorAll("details").forEach(function (d) { d.open = true; });
  root.querySelectorAll(".tabbed-set").forEach(function (set) {
    var labels = set.querySelectorAll(":scope > .tabbed-labels > label");
    set.querySelectorAll(":scope > .tabbed-content > .tabbed-block").forEach(function (block, i) {
      block.style.display = "block";
      if (!labels[i]) return;
      var label = document.createElement("p");
      label.className = "atlas-tab-label";
      label.textContent = labels[i].textContent;
      block.insertBefore(label, block.firstChild);
    });
    var strip = set.querySelector(":scope > .tabbed-labels");
    if (strip) strip.remove();
  });
  document.documentElement.dataset.atlasPrint = "ready";
})();
