// Polls an ingest job's status endpoint while it is queued or running and updates the
// progress bar; reloads the page once it finishes so the report and live table show.
(function () {
  "use strict";
  var box = document.querySelector(".ingest-job[data-active='1']");
  if (!box) { return; }
  var url = box.getAttribute("data-job-url");
  var bar = box.querySelector(".js-job-progress");
  var rows = box.querySelector(".js-job-rows");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.rows_estimated) { bar.max = job.rows_estimated; }
        bar.value = job.rows_loaded;
        rows.textContent = job.rows_loaded + (job.rows_estimated ? " / " + job.rows_estimated : "");
        if (job.status === "succeeded" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
