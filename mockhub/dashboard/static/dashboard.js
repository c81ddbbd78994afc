// Live stage counts for the project page: poll the dashboard's own JSON endpoint and update the numbers in place.
(function () {
  "use strict";
  var graph = document.querySelector("[data-counts-url]");
  if (!graph) { return; }
  var url = graph.getAttribute("data-counts-url");
  var every = Number(graph.getAttribute("data-refresh-ms")) || 3000;
  var status = document.getElementById("live-status");

  function show(counts, total) {
    Object.keys(counts).forEach(function (stage) {
      document.querySelectorAll("[data-stage-count]").forEach(function (element) {
        if (element.getAttribute("data-stage-count") !== stage) { return; }
        var text = String(counts[stage]);
        if (element.textContent !== text) {
          element.textContent = text;
          var node = element.closest(".node");
          if (node) { node.classList.add("changed"); setTimeout(function () { node.classList.remove("changed"); }, 1500); }
        }
      });
    });
    document.querySelectorAll("[data-total]").forEach(function (element) { element.textContent = String(total); });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data.counts, data.total);
        document.body.setAttribute("data-live", "ok");
        if (status) { status.textContent = "live: updated " + new Date().toLocaleTimeString(); }
      })
      .catch(function (error) {
        document.body.setAttribute("data-live", "error");
        if (status) { status.textContent = "live: " + error.message; }
      });
  }

  refresh();
  setInterval(refresh, every);
}());
