// Render the TeX that the server left in .math elements (see questionbank/markdown.py), on load and after
// every htmx swap.
(function () {
  function renderMath(root) {
    if (!window.katex) return;
    root.querySelectorAll(".math:not([data-rendered])").forEach(function (el) {
      try {
        window.katex.render(el.textContent, el, {
          displayMode: el.classList.contains("block"),
          throwOnError: false,
          // An answer is untrusted TeX: \rule{3000em}{3000em} may not cover the page, nor macros loop.
          maxSize: 10,
          maxExpand: 200,
        });
      } catch (e) {
        /* leave the TeX visible */
      }
      el.setAttribute("data-rendered", "");
    });
  }
  window.renderMath = renderMath;
  document.addEventListener("DOMContentLoaded", function () { renderMath(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { renderMath(evt.detail.elt || document); });
})();
