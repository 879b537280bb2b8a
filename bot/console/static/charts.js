// Draws each chart on the page from its JSON data (bot/console/html.py) with Chart.js, served by the
// console itself. The same figures are always in the table after the chart.
"use strict";
(function () {
  var colours = ["#1d5fa8", "#b3261e", "#2e7d32", "#6a3d9a", "#8a5a00", "#00695c"];
  var blocks = document.querySelectorAll("script.chart-data");
  blocks.forEach(function (block) {
    var canvas = document.getElementById(block.getAttribute("data-for"));
    if (!canvas) return;
    if (typeof window.Chart !== "function") {
      canvas.hidden = true;
      return;
    }
    var data = JSON.parse(block.textContent);
    var datasets = data.series.map(function (series, index) {
      var colour = colours[index % colours.length];
      return {
        label: series.label,
        data: series.values,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: 2,
        fill: false,
      };
    });
    new window.Chart(canvas, {
      type: data.type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.setAttribute("data-drawn", "true");
  });
})();
