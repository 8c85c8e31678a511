/* The staff workspace's own few lines (no eval, no inline handlers; htmx runs with allowEval false).
   Reply-template picker (web/workspace/_template_picker.html): "Einfügen" fetches the chosen template rendered
   for the case and puts it into its textarea: into an empty one as its text, else at the cursor. The script may
   be included once per picker; it binds one delegated listener per page. */
(function () {
  "use strict";
  if (window.ktsWorkspace) { return; }
  window.ktsWorkspace = true;

  function insert(textarea, text) {
    if (!textarea.value.trim()) {
      textarea.value = text;
    } else {
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
      textarea.selectionStart = textarea.selectionEnd = start + text.length;
    }
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-template-insert]");
    if (!button) { return; }
    var picker = button.closest("[data-template-picker]");
    var select = picker.querySelector("[data-template-select]");
    var status = picker.querySelector("[data-template-status]");
    var textarea = document.getElementById(button.getAttribute("data-template-target"));
    if (!select || !select.value || !textarea) { return; }
    var url = button.getAttribute("data-template-url") + "?vorlage=" + encodeURIComponent(select.value);
    status.textContent = "";
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/plain" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (text) {
        insert(textarea, text);
        textarea.focus();
        status.textContent = status.getAttribute("data-done");
      })
      .catch(function () {
        status.textContent = status.getAttribute("data-failed");
      });
  });
})();
