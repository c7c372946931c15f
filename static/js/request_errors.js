// Any htmx request that fails says so: a refused request (429, 403, 5xx) or no network at all would otherwise
// leave the page as it was, with no word. Forms that explain their own failures carry data-own-errors.
(function () {
  "use strict";
  var source = null; // the element whose request the notice is about

  function notice() { return document.getElementById("request-error"); }

  function show(elt, text) {
    var box = notice();
    if (!box) return;
    source = elt;
    box.querySelector("[data-text]").textContent = text;
    box.hidden = false;
  }

  function hide() {
    var box = notice();
    if (box) box.hidden = true;
    source = null;
  }

  function ownErrors(elt) { return elt && elt.hasAttribute && elt.hasAttribute("data-own-errors"); }

  // The server's own words where it sent a message fragment (the 429 page's), else a general one.
  function messageOf(xhr) {
    var box = notice();
    if (xhr.status >= 400 && xhr.status < 500 && xhr.responseText) {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var message = doc.querySelector(".message");
      if (message && message.textContent.trim()) return message.textContent.trim();
    }
    return box.dataset.msgFailed;
  }

  document.addEventListener("htmx:responseError", function (evt) {
    if (!ownErrors(evt.detail.elt)) show(evt.detail.elt, messageOf(evt.detail.xhr));
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (evt) {
      if (!ownErrors(evt.detail.elt)) show(evt.detail.elt, notice().dataset.msgOffline);
    });
  });
  // The same action succeeding later clears its notice.
  document.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.successful && evt.detail.elt === source) hide();
  });
  document.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-dismiss-request-error]")) hide();
  });
})();
