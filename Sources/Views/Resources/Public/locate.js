// The incident form's and the location page's "Use my location" button: the device's position into the latitude and
// longitude fields, with how exact it is. Only a script can ask the device; without one, the
// button stays hidden and the fields and the area list work as before.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!button || !status || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      var c = position.coords;
      document.getElementById("latitude").value = c.latitude.toFixed(5);
      document.getElementById("longitude").value = c.longitude.toFixed(5);
      // How exact: the form's own scale, from the accuracy the device gives (metres).
      var precision = document.getElementById("geo_precision");
      if (precision) {
        precision.value = c.accuracy <= 500 ? "exact" : c.accuracy <= 25000 ? "within_25km" : "district";
      }
      status.textContent = button.dataset.found.replace("{metres}", String(Math.round(c.accuracy)));
      // "I am here" (the person's own location page) sends at once, with the accuracy in metres.
      var metres = document.getElementById("precision");
      if (metres) { metres.value = String(Math.round(c.accuracy)); }
      // requestSubmit: the offline queue (capture.js) sees the submission; submit() would bypass it.
      if (button.dataset.submit === "yes" && button.form) {
        if (button.form.requestSubmit) { button.form.requestSubmit(); } else { button.form.submit(); }
      }
    }, function (error) {
      status.textContent = button.dataset.failed + " (" + error.message + ")";
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
});
