// Usage charts of the developer console: every element with data-usage-chart="<id>" is drawn
// with ECharts (static/vendor/echarts/) from the JSON block <script type="application/json"
// id="<id>"> rendered by json_script. No inline script (CSP script-src 'self').
// Spec: {type: "bar"|"line", labels: [...], series: [{name, data}], stack, horizontal,
// unit: "bytes"|undefined}. Labels are data: ECharts draws them as canvas text and the
// tooltip uses rich text (no HTML).
(function () {
  "use strict";

  var PALETTE = ["#0b5cad", "#b4232a", "#1a7f37", "#9a6700", "#6639ba"];
  var UNITS = ["B", "KB", "MB", "GB", "TB"]; // 1024-based, as Django's filesizeformat

  function readSpec(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (err) {
      return null;
    }
  }

  function bytes(value) {
    var n = Number(value) || 0;
    var i = 0;
    while (n >= 1024 && i < UNITS.length - 1) {
      n /= 1024;
      i += 1;
    }
    return (i ? n.toFixed(1) : String(n)) + " " + UNITS[i];
  }

  function option(spec) {
    var horizontal = Boolean(spec.horizontal);
    var format = spec.unit === "bytes" ? bytes : undefined;
    var category = {
      type: "category",
      data: spec.labels,
      axisLabel: { hideOverlap: true, width: horizontal ? 180 : 90, overflow: "truncate" },
    };
    if (horizontal) category.inverse = true;
    var value = { type: "value", minInterval: 1, axisLabel: format ? { formatter: format } : {} };
    return {
      color: PALETTE,
      aria: { enabled: true },
      animation: false,
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        confine: true,
        valueFormatter: format,
      },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        return {
          type: spec.type === "line" ? "line" : "bar",
          name: s.name || "",
          data: s.data,
          stack: spec.stack ? "total" : undefined,
          barMaxWidth: 28,
          showSymbol: spec.labels.length <= 31,
        };
      }),
    };
  }

  function draw(el) {
    var spec = readSpec(el.dataset.usageChart);
    if (!spec || !window.echarts || !Array.isArray(spec.series) || !spec.labels.length) {
      el.hidden = true;
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    el.classList.add("chart-ready");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-usage-chart]").forEach(draw);
  });
})();
