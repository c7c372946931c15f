// Interviewer pages: copy the invite link; print the report; ask before a button that cannot be undone.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var field = document.querySelector(copy.dataset.copy);
      field.select();
      var done = function () { copy.textContent = copy.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    }
    if (event.target.closest("[data-print]")) window.print();
    // Without JavaScript such a button simply submits; with htmx, hx-confirm asks instead.
    var risky = event.target.closest("button[data-confirm]");
    if (risky && !window.confirm(risky.dataset.confirm)) event.preventDefault();
  });
})();
