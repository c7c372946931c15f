// The question editor's rubric: shows the points' total as they are typed, red until it is the bank's total.
(function () {
  var script = document.currentScript;
  var wanted = parseInt(script.dataset.total, 10);
  var label = script.dataset.label;

  function update() {
    var group = document.getElementById("rubric-group");
    if (!group) return;
    var out = group.querySelector(".rubric-total");
    if (!out) {
      out = document.createElement("p");
      out.className = "rubric-total";
      out.setAttribute("aria-live", "polite");
      group.querySelector("h2").after(out);
    }
    var total = 0;
    group.querySelectorAll('input[name$="-points"]').forEach(function (input) {
      var del = document.getElementsByName(input.name.replace(/-points$/, "-DELETE"))[0];
      if (del && del.checked) return;
      total += parseInt(input.value, 10) || 0;
    });
    out.textContent = label + ": " + total + " / " + wanted;
    out.classList.toggle("ok", total === wanted);
    out.classList.toggle("wrong", total !== wanted);
  }

  document.addEventListener("DOMContentLoaded", function () {
    update();
    document.addEventListener("input", update);
    document.addEventListener("change", update);
    document.addEventListener("formset:added", update);
    document.addEventListener("formset:removed", update);
  });
})();
