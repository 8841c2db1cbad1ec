// Marsad: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Remember whether the reader paused the ticker.
  var toggle = document.getElementById("ticker-pause");
  if (toggle) {
    try {
      toggle.checked = window.localStorage.getItem("marsad-ticker-paused") === "1";
      toggle.addEventListener("change", function () {
        window.localStorage.setItem("marsad-ticker-paused", toggle.checked ? "1" : "0");
      });
    } catch (e) { /* storage may be disabled */ }
  }

  // Escape pauses the ticker from anywhere on the page.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  });

  // Ask once before sending a report.
  var forms = document.querySelectorAll("form.report-form, form.report-image");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed === "1") { return; }
      var question = form.classList.contains("report-image")
        ? "هل تريد الإبلاغ عن هذه الصورة؟" : "هل تريد الإبلاغ عن هذا الخبر؟";
      if (!window.confirm(question)) { event.preventDefault(); return; }
      form.dataset.confirmed = "1";
    });
  });
})();
