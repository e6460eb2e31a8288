/* What every widget of the atlas shares, loaded before a page's own widget scripts (overrides/main.html):
 * el() builds an element whose text goes in through textContent only (never parsed as HTML), and mountAll()
 * mounts a widget on each of its root elements once the page is ready. */
(function (root) {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function mountAll(selector, mount) {
    var start = function () {
      document.querySelectorAll(selector).forEach(function (node) { mount(node); });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  root.AtlasWidget = { el: el, mountAll: mountAll };
})(this);
