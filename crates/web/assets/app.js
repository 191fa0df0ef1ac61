// Progressive enhancement only: every page works without this file.
// Type-ahead forms submit themselves through htmx; nothing else is needed here yet.
document.addEventListener("htmx:responseError", function (e) {
  var box = document.getElementById("flash");
  if (box) { box.hidden = false; }
});
