// Identifiers and dates keep to one line: a registration number (粤作登字-2026-F-00000001), a contract or case
// number (LC-2026-000001, TJ-2026-000001), a date (2026-12-01, with its time) in running Chinese text would
// otherwise break at a hyphen on a phone, "粤作登字-2026-F-" on one line and "00000001" on the next. One script
// for every page, message and inbox line, instead of a filter on each of the hundreds of places that print one
// (many of them inside translated sentences and Python messages): it wraps each one it finds in the page's text
// in <span class="ident">, which the CSS keeps whole (artrights.css, "Identifiers"). The span still breaks where
// it must, when it is wider than its box, so the page never scrolls sideways; hashes (hex, no hyphens) are not
// identifiers here and keep breaking anywhere. Form fields, scripts, code blocks and SVG text are left alone.
(function () {
  "use strict";

  // The formats of registry/numbers.py and the other apps' numbers: a region and kind ending in 字, or letter
  // prefixes, before a year; or a bare date (and time); or a software certificate number.
  var IDENT =
    /(?:[\u4e00-\u9fff]{3}字-|(?:[A-Z]{1,5}-)+)?(?:19|20)\d{2}(?:-[0-9A-Z]{1,12})+(?: \d{1,2}:\d{2}(?::\d{2})?)?|软著登字第\d+号/g;
  var SKIP = { SCRIPT: 1, STYLE: 1, TEXTAREA: 1, INPUT: 1, SELECT: 1, OPTION: 1, PRE: 1, TITLE: 1, NOSCRIPT: 1 };

  function skipped(node) {
    for (var el = node.parentNode; el && el.nodeType === 1; el = el.parentNode) {
      if (SKIP[el.tagName] || el.namespaceURI === "http://www.w3.org/2000/svg") return true;
      if (el.classList.contains("ident")) return true;
    }
    return false;
  }

  function wrap(node) {
    var text = node.nodeValue;
    IDENT.lastIndex = 0;
    var match = IDENT.exec(text);
    if (!match) return;
    var parts = document.createDocumentFragment();
    var last = 0;
    while (match) {
      if (match.index > last) parts.appendChild(document.createTextNode(text.slice(last, match.index)));
      var span = document.createElement("span");
      span.className = "ident";
      span.textContent = match[0];
      parts.appendChild(span);
      last = match.index + match[0].length;
      match = IDENT.exec(text);
    }
    if (last < text.length) parts.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(parts, node);
  }

  function keepWhole(root) {
    var start = root === document ? document.body : root;
    if (!start) return;
    var walker = document.createTreeWalker(start, NodeFilter.SHOW_TEXT);
    var found = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (/\d{4}-|字第/.test(node.nodeValue) && !skipped(node)) found.push(node);
    }
    found.forEach(wrap);
  }

  keepWhole(document);
  document.addEventListener("htmx:load", function (event) {
    keepWhole(event.target);
  });
})();
