// Public pages: municipality search as you type (GET /api/v1/municipalities/?q=) and the withdraw confirmation.
(function () {
  "use strict";

  var search = document.getElementById("id_municipality_search");
  var hidden = document.getElementById("id_municipality");
  var list = document.getElementById("municipality-results");
  if (search && hidden && list) {
    var timer = null;
    // the directory's kind slugs as people say them, translated by the page (web.views.public._kind_labels)
    var labelsTag = document.getElementById("kind-labels");
    var KINDS = labelsTag ? JSON.parse(labelsTag.textContent) : {};
    var lastQuery = "";

    function clear() {
      while (list.firstChild) list.removeChild(list.firstChild);
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
    }

    function choose(item) {
      hidden.value = item.ags;
      search.value = item.name + " (" + item.ags + ")";
      clear();
    }

    function show(items) {
      clear();
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.tabIndex = 0;
        li.dataset.ags = item.ags;
        // textContent: names from the directory are never parsed as HTML
        var slug = item.kind || "";
        var kind = KINDS[slug] || slug.replace(/_/g, " ");
        // a 5-digit key is a district; say so unless the kind already does (checked on the slug, not the label,
        // so it works in every language)
        if (item.ags && item.ags.length === 5 && slug.indexOf("kreis") === -1) {
          kind += " (" + (KINDS._district_level || "Kreisebene") + ")";
        }
        li.textContent = item.name + " – " + kind + ", " + (item.state || "") + " – " + item.ags;
        li.addEventListener("click", function () { choose(item); });
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); choose(item); } });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      search.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function lookup() {
      var q = search.value.trim();
      if (q.length < 2 || q === lastQuery) return;
      lastQuery = q;
      fetch("/api/v1/municipalities/?page_size=10&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (search.value.trim() === q) show(data.results || []); })
        .catch(function () { clear(); });
    }

    search.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && list.firstChild) { e.preventDefault(); list.firstChild.focus(); }
    });
  }

  var withdraw = document.getElementById("withdraw-form");
  if (withdraw) {
    withdraw.addEventListener("submit", function (e) {
      if (!window.confirm(withdraw.dataset.confirm)) e.preventDefault();
    });
  }
})();
