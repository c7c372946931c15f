// Interviewer pages: copy the invite link; print the report; ask before a button that cannot be undone;
// a verdict chosen in a review brings its points along.
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
  // Met is the point's full points, missed none, partial something in between (half, unless the reviewer
  // already typed a share): the form refuses a verdict and points that disagree.
  document.addEventListener("change", function (event) {
    var verdict = event.target.closest("fieldset.point select[name^='verdict_']");
    if (!verdict) return;
    var points = verdict.form.elements["points_" + verdict.name.slice("verdict_".length)];
    if (!points) return;
    var possible = parseFloat(points.max), given = parseFloat(points.value);
    if (verdict.value === "met") points.value = possible;
    else if (verdict.value === "missed") points.value = 0;
    else if (!(given > 0 && given < possible)) points.value = possible / 2;
  });
})();
