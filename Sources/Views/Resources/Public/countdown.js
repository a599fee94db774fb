// The call-back countdown of a critical incident (the CIM procedure: agree a call-back within 30
// minutes): "12:34 left", turning red and counting up once it has passed. Without a script the page
// shows the time agreed and, when it has passed at loading, the same red "overdue".
document.addEventListener("DOMContentLoaded", function () {
  var clocks = document.querySelectorAll("[data-deadline]");
  if (!clocks.length) { return; }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    clocks.forEach(function (clock) {
      var left = Math.round((Date.parse(clock.dataset.deadline) - Date.now()) / 1000);
      var s = Math.abs(left);
      var text = (s >= 3600 ? Math.floor(s / 3600) + ":" + pad(Math.floor(s % 3600 / 60)) : Math.floor(s / 60)) + ":" + pad(s % 60);
      var out = clock.querySelector(".left");
      if (out) { out.textContent = (left < 0 ? clock.dataset.late : clock.dataset.ahead).replace("{time}", text); }
      clock.classList.toggle("late", left < 0);
    });
  }
  tick();
  setInterval(tick, 1000);
});
