// The question editor's inlines (rubric points, misconceptions): a row added with "Add another" takes the
// next free order number, so that two new rows are not both number 0 (a duplicate the form would refuse).
(function () {
  document.addEventListener("formset:added", function (evt) {
    var row = evt.target;
    var group = row.closest(".inline-group");
    var input = row.querySelector('input[name$="-order"]');
    if (!group || !input) return;
    var highest = -1;
    group.querySelectorAll('input[name$="-order"]').forEach(function (other) {
      if (other !== input && other.name.indexOf("__prefix__") === -1 && other.value !== "") {
        highest = Math.max(highest, parseInt(other.value, 10) || 0);
      }
    });
    input.value = highest + 1;
  });
})();
