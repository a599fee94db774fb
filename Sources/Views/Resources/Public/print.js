// The report's Print button. A file, not an inline handler: the Content-Security-Policy allows
// scripts from this server only.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print");
  if (button) { button.hidden = false; button.addEventListener("click", function () { window.print(); }); }
});
