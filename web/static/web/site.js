// Every page: behaviour that would otherwise be an inline handler, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  // the language menu in the header switches as soon as a language is picked
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
