// Public pages: municipality search as you type (GET /api/v1/municipalities/?q=) and the withdraw confirmation.
(function () {
  "use strict";

  var search = document.getElementById("id_municipality_search");
  var hidden = document.getElementById("id_municipality");
  var list = document.getElementById("municipality-results");
  if (search && hidden && list) {
    var timer = null;
    // the directory's kind slugs as people say them, translated by the page (web.views.public.municipality_kind_labels)
    var labelsTag = document.getElementById("kind-labels");
    var KINDS = labelsTag ? JSON.parse(labelsTag.textContent) : {};
    var lastQuery = "";

    // the live region that tells screen readers (and everybody) how many municipalities the search found
    var status = document.getElementById("municipality-status");

    function say(text) {
      if (status) status.textContent = text;
    }

    function clear() {
      while (list.firstChild) list.removeChild(list.firstChild);
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
    }

    // kinds that exist at both levels of the directory (the city and the district of the same key): the
    // suggestion says which level it is, so "Bamberg, kreisfreie Stadt (Gemeinde)" and its district differ
    var BOTH_LEVELS = { kreisfreie_stadt: true, stadtkreis: true };

    function kindText(item) {
      var slug = item.kind || "";
      var kind = KINDS[slug] || slug.replace(/_/g, " ");
      var district = item.level ? item.level === "kreis" : (item.ags || "").length === 5;
      if (BOTH_LEVELS[slug] || (district && slug.indexOf("kreis") === -1 && slug !== "regionalverband")) {
        kind += " (" + (district ? KINDS._district_level || "Kreisebene" : KINDS._municipality_level || "Gemeinde") + ")";
      }
      return kind;
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
        // textContent: names from the directory are never parsed as HTML; the level is checked on the slugs,
        // not the labels, so it works in every language
        li.textContent = item.name + " – " + kindText(item) + ", " + (item.state || "") + " – " + item.ags;
        li.addEventListener("click", function () { choose(item); });
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); choose(item); } });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      search.setAttribute("aria-expanded", items.length ? "true" : "false");
      if (!items.length) {
        say(KINDS._none_found || "Keine Kommune gefunden.");
      } else {
        say((items.length === 1 ? KINDS._found_one || "1" : (KINDS._found_many || "%s").replace("%s", items.length)));
      }
    }

    function lookup() {
      var q = search.value.trim();
      if (q.length < 2 || q === lastQuery) return;
      lastQuery = q;
      fetch("/api/v1/municipalities/?page_size=10&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (search.value.trim() === q) show(data.results || []); })
        .catch(function () { clear(); say(KINDS._search_failed || ""); });
    }

    search.addEventListener("input", function () {
      hidden.value = "";
      if (search.value.trim().length < 2) { clear(); say(""); lastQuery = ""; }
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
