// Portal charts: every element with data-chart="<id>" is drawn with ECharts (served from
// /static/vendor/echarts/) from the JSON block <script type="application/json" id="<id>">
// that the page renders with json_script. No inline script (CSP script-src 'self').
// Spec: {type: "bar"|"line", labels: [...], series: [{name, data}], x_name, stack, horizontal,
// colors}.
// Values are data: ECharts draws them as canvas text, and the tooltip uses rich text (no HTML).
(function () {
  "use strict";

  var PALETTE = ["#b4232a", "#0b5cad", "#1a7f37", "#9a6700", "#6639ba"];

  function readSpec(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (err) {
      return null;
    }
  }

  function option(spec) {
    var horizontal = Boolean(spec.horizontal);
    var category = {
      type: "category",
      data: spec.labels,
      axisLabel: { hideOverlap: true, width: horizontal ? 160 : 90, overflow: "truncate" },
    };
    if (horizontal) category.inverse = true;
    var value = { type: "value" };
    var named = spec.series.filter(function (s) { return s.name; }).length;
    return {
      color: Array.isArray(spec.colors) && spec.colors.length ? spec.colors : PALETTE,
      aria: { enabled: true },
      animation: false,
      grid: { left: 8, right: 24, top: named > 1 ? 36 : 16, bottom: 8, containLabel: true },
      legend: named > 1 ? { top: 0 } : undefined,
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        return {
          type: spec.type === "line" ? "line" : "bar",
          name: s.name || "",
          data: s.data,
          stack: spec.stack ? "total" : undefined,
          connectNulls: true,
          barMaxWidth: 36,
        };
      }),
    };
  }

  function draw(el) {
    var spec = readSpec(el.dataset.chart);
    if (!spec || !window.echarts || !Array.isArray(spec.series) || !spec.series.length) {
      el.hidden = true;
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    el.classList.add("chart-ready");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
