// Small behaviours every page has: compare links that carry their page's choice, glossary terms by tap, and a hint
// above tables wider than the screen.
// Links that open a compare page with this page's model or licence chosen: the page carries a plain link (every
// checker and the print edition follow it) and the choice is added here as the compare page's query (?m=<id>).
document$.subscribe(function () {
  document.querySelectorAll("a[data-atlas-compare-with]").forEach(function (a) {
    if (!/\?/.test(a.getAttribute("href"))) a.setAttribute("href", a.getAttribute("href") + "?" + a.dataset.atlasCompareWith);
  });
});

// Glossary terms by tap: a glossary term (an <abbr> with its definition as title, from the glossary) shows its
// definition under it when tapped, clicked or activated with the keyboard, and hides it again; hover still works.
document$.subscribe(function () {
  document.querySelectorAll("article abbr[title]").forEach(function (abbr) {
    if (abbr.dataset.atlasTip) return;
    abbr.dataset.atlasTip = "1";
    abbr.tabIndex = 0;
    abbr.setAttribute("role", "button");
    abbr.setAttribute("aria-expanded", "false");
    function toggle(event) {
      event.preventDefault();
      var next = abbr.nextElementSibling;
      if (next && next.classList.contains("atlas-abbr-tip")) {
        next.remove();
        abbr.setAttribute("aria-expanded", "false");
        return;
      }
      var tip = document.createElement("span");
      tip.className = "atlas-abbr-tip";
      tip.textContent = abbr.getAttribute("title");
      abbr.after(tip);
      abbr.setAttribute("aria-expanded", "true");
    }
    abbr.addEventListener("click", toggle);
    abbr.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") toggle(event);
    });
  });
});

// Wide tables on a narrow screen: the theme scrolls them sideways; say so above each one that overflows, so no
// column is hidden without a hint.
document$.subscribe(function () {
  document.querySelectorAll("article .md-typeset__scrollwrap").forEach(function (wrap) {
    var hint = wrap.previousElementSibling;
    var has = hint && hint.classList.contains("atlas-scroll-hint");
    if (wrap.scrollWidth > wrap.clientWidth + 4 && !has) {
      hint = document.createElement("p");
      hint.className = "atlas-scroll-hint";
      hint.textContent = "Scroll the table sideways for more columns →";
      wrap.before(hint);
    }
  });
});
