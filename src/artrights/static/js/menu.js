// The phone header's menu (templates/base.html) is a <details> that works without script; this makes it behave
// as a menu does: Escape closes it and gives the focus back to its button, a tap outside closes it, and while it
// is open Tab goes from the button through the menu's links before the inbox and language switch beside the
// button (in the page they sit among the links, where a wide screen shows them).
(function () {
  var menu = document.querySelector("header details.menu");
  if (!menu) return;
  var button = menu.querySelector("summary");
  var nav = menu.parentElement;

  function isOpen() {
    // Hidden on a wide screen, where every link is in view and there is nothing to close.
    return menu.open && button.getClientRects().length > 0;
  }

  function close(returnFocus) {
    menu.open = false;
    if (returnFocus) button.focus();
  }

  // The order the reader sees: the button, the opened links below it, then the rest of the bar.
  function tabOrder() {
    var items = Array.prototype.slice.call(nav.querySelectorAll("a[href], button"));
    var visible = items.filter(function (el) { return el.getClientRects().length > 0 && !el.disabled; });
    var inBar = function (el) { return el.closest(".pinned") !== null; };
    return [button].concat(
      visible.filter(function (el) { return !inBar(el); }),
      visible.filter(inBar)
    );
  }

  document.addEventListener("keydown", function (event) {
    if (!isOpen()) return;
    if (event.key === "Escape") {
      close(true);
      return;
    }
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
    var order = tabOrder();
    var here = order.indexOf(document.activeElement);
    if (here < 0) return;
    var next = order[here + (event.shiftKey ? -1 : 1)];
    if (!next) return; // out of the header as the page goes on: back to the brand, or on to the page
    event.preventDefault();
    next.focus();
  });

  document.addEventListener("click", function (event) {
    if (isOpen() && !nav.contains(event.target)) close(false);
  });
})();
