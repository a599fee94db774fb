// An alert's page: its figures (sent, queued, failed, answers) refreshed every 5 seconds while
// messages go out, from the page's counts.json. Without a script the page shows the figures as
// they were when it loaded, and a reload brings them up to date.
document.addEventListener("DOMContentLoaded", function () {
  var live = document.getElementById("alert-live");
  if (!live || !window.fetch) { return; }
  function refresh() {
    fetch(live.dataset.counts, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (!counts) { return; }
        live.querySelectorAll("[data-count]").forEach(function (item) {
          var value = counts[item.dataset.count];
          if (value !== undefined) { item.querySelector("strong").textContent = String(value); }
        });
      })
      .catch(function () { /* offline: keep the last figures */ });
  }
  setInterval(refresh, 5000);
});
