/* Draws the charts whose data the page embeds: <canvas data-chart="ID"> reads <script type="application/json" id="ID">. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  function monthRange(key) {
    // "2023-07" -> ["2023-07-01", "2023-07-31"]
    var parts = key.split("-"), year = +parts[0], month = +parts[1];
    var last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return [key + "-01", key + "-" + String(last).padStart(2, "0")];
  }

  function drillDown(spec, index, datasetIndex) {
    // Open the events of one bar: the month, and the group when it is an event type.
    var params = new URLSearchParams(window.location.search);
    var range = monthRange(spec.labels[index]);
    params.set("since", range[0]);
    params.set("until", range[1]);
    if (spec.drill.group && spec.datasets[datasetIndex]) params.set(spec.drill.group, spec.datasets[datasetIndex].label);
    Object.keys(spec.drill.params || {}).forEach(function (name) { params.set(name, spec.drill.params[name]); });
    params.delete("offset");
    window.location.href = "/events?" + params.toString();
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var valueTicks = { precision: 0 };
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        elements: { point: { radius: 0, hitRadius: 6 } },
        plugins: { legend: { display: spec.datasets.length > 1, position: "bottom" } },
        scales: {
          x: { stacked: spec.stacked, beginAtZero: true, ticks: spec.horizontal ? valueTicks : {} },
          y: { stacked: spec.stacked, beginAtZero: true, ticks: spec.horizontal ? {} : valueTicks }
        },
        onClick: spec.drill ? function (event, elements) {
          if (elements.length) drillDown(spec, elements[0].index, elements[0].datasetIndex);
        } : undefined
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
