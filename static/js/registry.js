// Registry pages: repeated rows (data items, supplement items). Without JavaScript the
// server renders a few blank spare rows, which are ignored when left empty.
(function () {
  "use strict";

  function renumber(tbody) {
    tbody.querySelectorAll(".row-no").forEach(function (cell, i) {
      cell.textContent = String(i + 1);
    });
  }

  function clearRow(row) {
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    row.querySelectorAll(".errorlist").forEach(function (list) { list.remove(); });
    row.classList.remove("row-error");
  }

  function setUp(group) {
    var tbody = group.querySelector(".js-rows");
    var template = group.querySelector("template.js-row-template");
    var addButton = group.querySelector(".js-add-row");
    if (!tbody || !template || !addButton) return;
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var row = template.content.firstElementChild.cloneNode(true);
      tbody.appendChild(row);
      renumber(tbody);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
    tbody.addEventListener("click", function (event) {
      var button = event.target.closest(".js-remove-row");
      if (!button) return;
      var row = button.closest("tr");
      if (tbody.querySelectorAll("tr").length > 1) {
        row.remove();
      } else {
        clearRow(row);
      }
      renumber(tbody);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-row-group]").forEach(setUp);
  });
})();
