// Progressive enhancement only: every page works without this file.
// Type-ahead forms submit themselves through htmx; nothing else is needed here yet.
document.addEventListener("htmx:responseError", function (e) {
  var box = document.getElementById("flash");
  if (box) { box.hidden = false; }
});

// Check-in: where the browser can read QR codes itself (BarcodeDetector, e.g. Chrome on
// Android), a "scan" button opens the camera and fills the invitation code in. Elsewhere the
// button stays hidden and the officer types the code or picks the name.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-qr-scan]");
  var input = document.querySelector("[data-qr-target]");
  var video = document.querySelector("[data-qr-video]");
  if (!button || !input || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length > 0) {
            stop();
            input.value = codes[0].rawValue;
            input.form.submit();
          } else {
            requestAnimationFrame(tick);
          }
        }).catch(stop);
      };
      tick();
    }).catch(function () { button.hidden = true; });
  });
});

// A form that destroys something (data-confirm="question") asks first; without script it
// simply submits, as the server needs no confirmation to be safe.
document.addEventListener("submit", function (e) {
  var form = e.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) e.preventDefault();
});
