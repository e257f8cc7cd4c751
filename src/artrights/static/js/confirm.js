// Forms that do something irreversible or public say so in data-confirm; ask before sending them.
// Every form also disables its submit buttons once sent, so a slow action is not sent twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.dataset.sent === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  form.classList.add("busy");
  var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
  // Disabled after the event so the pressed button's name and value are still sent.
  window.setTimeout(function () {
    buttons.forEach(function (b) { b.disabled = true; });
  }, 0);
});
// A page restored from the back-forward cache shows its forms ready again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.busy").forEach(function (form) {
    form.classList.remove("busy");
    delete form.dataset.sent;
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = false; });
  });
});
