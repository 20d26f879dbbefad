// Draws the value report's two bar charts with Chart.js (served from our static files) from the
// numbers the page also shows as tables; without Chart.js the tables stand alone.
(function () {
  "use strict";
  var source = document.getElementById("value-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang || "nl";
  var euro = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

  function bars(figureId, series, horizontal) {
    var canvas = document.querySelector("#" + figureId + " canvas");
    if (!canvas || series.labels.length === 0) {
      return;
    }
    if (horizontal) {
      // One bar per area, readable on a phone: the box grows with the number of areas (set
      // through CSSOM, which the Content-Security-Policy allows, unlike a style="" attribute).
      canvas.parentNode.style.height = 4 + 2 * series.labels.length + "rem";
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: series.label, data: series.values, backgroundColor: "#1a7f37" }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { callback: function (v) { return euro.format(v); } } },
        },
      },
    });
  }

  bars("chart-areas", data.areas, true);
  bars("chart-years", data.years, false);
})();
