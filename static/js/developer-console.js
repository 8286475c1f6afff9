// Developer console: copy a newly shown key, and show the dataset picker only while the
// "chosen datasets" scope is selected. Without JavaScript everything stays visible and works.
(function () {
  "use strict";

  function setUpCopy(button) {
    var target = document.getElementById(button.dataset.copyTarget);
    var done = button.parentNode.querySelector(".js-copied");
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        if (done) done.hidden = false;
      });
    });
  }

  function setUpPicker(picker) {
    var form = picker.closest("form");
    if (!form) return;
    var radios = form.querySelectorAll("input[name='scope']");
    function sync() {
      var chosen = form.querySelector("input[name='scope']:checked");
      picker.hidden = Boolean(chosen) && chosen.value !== "datasets";
    }
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-copy").forEach(setUpCopy);
    document.querySelectorAll(".js-dataset-picker").forEach(setUpPicker);
  });
})();
