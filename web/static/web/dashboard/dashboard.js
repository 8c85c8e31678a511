/* Transferstatistik: charts (Chart.js, vendored) and the map of Germany (canvas).
   Every chart also has its numbers in a table next to it; series differ by pattern and marker shape,
   not by colour alone. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("stats-data").textContent);

  // funnel bars: the width comes from data-percent (a style="" attribute would break the Content-Security-Policy;
  // setting the property from a script is allowed)
  document.querySelectorAll(".funnel-bar[data-percent]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.dataset.percent) || 0)) + "%";
  });
  var BLUE = "#0b5cad", ORANGE = "#b35c00", GREEN = "#1b7f3b";

  function hatch(color) {
    // diagonal stripes: the second series stays distinguishable in greyscale and for colour-blind readers
    var c = document.createElement("canvas");
    c.width = c.height = 8;
    var g = c.getContext("2d");
    g.fillStyle = "#fff"; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = color; g.lineWidth = 2;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    return g.createPattern(c, "repeat");
  }

  if (window.Chart) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;
    var trend = document.getElementById("chart-trend");
    if (trend) {
      new Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.map(function (r) { return r.label; }),
          datasets: [
            { label: "Anfragen", data: data.trend.map(function (r) { return r.received; }), borderColor: BLUE, backgroundColor: BLUE, pointStyle: "circle", pointRadius: 4 },
            { label: "erledigt", data: data.trend.map(function (r) { return r.resolved; }), borderColor: ORANGE, backgroundColor: ORANGE, borderDash: [8, 4], pointStyle: "rect", pointRadius: 5 },
            { label: "erfolgreicher Transfer", data: data.trend.map(function (r) { return r.successful; }), borderColor: GREEN, backgroundColor: GREEN, borderDash: [2, 3], pointStyle: "triangle", pointRadius: 6 }
          ]
        },
        options: { maintainAspectRatio: false, plugins: { legend: { labels: { usePointStyle: true } } }, scales: { y: { beginAtZero: true } } }
      });
    }
    Object.keys(data.breakdowns).forEach(function (dimension) {
      var canvas = document.getElementById("chart-" + dimension);
      var rows = data.breakdowns[dimension];
      if (!canvas || !rows.length) { return; }
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map(function (r) { return r.label; }),
          datasets: [
            { label: "Anfragen", data: rows.map(function (r) { return r.received; }), backgroundColor: BLUE, borderColor: BLUE, borderWidth: 1 },
            { label: "erfolgreicher Transfer", data: rows.map(function (r) { return r.successful; }), backgroundColor: hatch(GREEN), borderColor: GREEN, borderWidth: 2 }
          ]
        },
        options: { maintainAspectRatio: false, indexAxis: rows.length > 8 ? "y" : "x", scales: { x: { beginAtZero: true }, y: { beginAtZero: true } } }
      });
    });
  }

  // --- map: equirectangular projection, longitude squeezed by cos(51°) so that Germany keeps its shape ---
  var map = document.getElementById("map");
  if (!map) { return; }
  var ctx = map.getContext("2d");
  var LAT_MIN = 47.2, LAT_MAX = 55.1, LON_MIN = 5.8, LON_MAX = 15.1, SQUEEZE = Math.cos(51 * Math.PI / 180);
  var pad = 10, w = map.width - 2 * pad, h = map.height - 2 * pad;
  var scale = Math.min(w / ((LON_MAX - LON_MIN) * SQUEEZE), h / (LAT_MAX - LAT_MIN));
  function project(lat, lon) {
    return [pad + (lon - LON_MIN) * SQUEEZE * scale, pad + (LAT_MAX - lat) * scale];
  }
  function drawAsked() {
    var asked = data.asked, most = asked.length ? asked[0][2] : 1;
    ctx.fillStyle = "rgba(11, 92, 173, 0.55)";
    ctx.strokeStyle = "#06325e";
    ctx.lineWidth = 1;
    // biggest first, so that small circles stay visible on top
    asked.forEach(function (p) {
      var xy = project(p[0], p[1]);
      var r = 2.5 + 12 * Math.sqrt(p[2] / most);
      ctx.beginPath(); ctx.arc(xy[0], xy[1], r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    });
    map.dataset.drawn = String(asked.length);
  }
  fetch(map.dataset.pointsUrl, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : { points: [] }; })
    .then(function (body) {
      ctx.fillStyle = "rgba(90, 100, 115, 0.35)";
      body.points.forEach(function (p) {
        var xy = project(p[0], p[1]);
        ctx.fillRect(xy[0] - 0.8, xy[1] - 0.8, 1.6, 1.6);
      });
      map.dataset.directory = String(body.points.length);
      drawAsked();
    })
    .catch(drawAsked);
})();
