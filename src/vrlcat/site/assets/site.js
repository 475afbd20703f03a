/* vrlcat site: search and filters over window.VRLCAT_DATA. Catalog text only ever goes through
   textContent or attributes set from script, never innerHTML. State lives in the URL's hash. */
(function () {
  "use strict";
  var DATA = window.VRLCAT_DATA;
  var SECTIONS = DATA.sections, ENTRIES = DATA.entries;
  var KEY = 0, TITLE = 1, NICK = 2, AUTHORS = 3, VENUE = 4, DATE = 5, LINK = 6, CODE = 7, WEB = 8, EXTRA = 9, SECS = 10;
  var PAGE = 100;
  var MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."];
  var $ = function (id) { return document.getElementById(id); };
  var box = $("q"), from = $("from"), to = $("to"), code = $("code"), web = $("website"), sort = $("sort");
  var list = $("results"), count = $("count"), more = $("more"), tree = $("sections");

  var haystack = ENTRIES.map(function (e) {
    return (e[TITLE] + "\n" + e[NICK] + "\n" + e[AUTHORS] + "\n" + e[VENUE]).toLowerCase();
  });
  var years = ENTRIES.map(function (e) { return e[DATE] ? parseInt(e[DATE].slice(0, 4), 10) : 0; });
  var subtreeEnd = SECTIONS.map(function (s, i) {
    var end = i + 1;
    while (end < SECTIONS.length && SECTIONS[end][3] > s[3]) { end++; }
    return end;
  });
  var sectionIndex = {};
  SECTIONS.forEach(function (s, i) { sectionIndex[s[0]] = i; });

  function compareTitle(a, b) {
    var x = ENTRIES[a][TITLE].toLowerCase(), y = ENTRIES[b][TITLE].toLowerCase();
    return x < y ? -1 : x > y ? 1 : a - b;
  }
  function compareDate(a, b) {
    var x = ENTRIES[a][DATE], y = ENTRIES[b][DATE];
    return x < y ? -1 : x > y ? 1 : compareTitle(a, b);
  }
  var all = ENTRIES.map(function (e, i) { return i; });
  var orders = { old: all.slice().sort(compareDate), title: all.slice().sort(compareTitle) };
  orders.new = orders.old.slice().reverse();

  var known = years.filter(Boolean);
  var minYear = known.length ? Math.min.apply(null, known) : 0;
  var maxYear = known.length ? Math.max.apply(null, known) : 0;
  from.min = to.min = String(minYear); from.max = to.max = String(maxYear);
  from.placeholder = String(minYear); to.placeholder = String(maxYear);

  var state = { q: "", section: "", from: "", to: "", code: false, website: false, sort: "new" };
  var matches = [], shown = 0;

  function inSection(entry, first, end) {
    var secs = entry[SECS];
    for (var i = 0; i < secs.length; i++) { if (secs[i] >= first && secs[i] < end) { return true; } }
    return false;
  }

  var last = { query: null, rest: null, matches: null };

  /* The papers the state shows, in order. Typing on (the query growing at its end, nothing else
     changed) can only narrow the last result, so only those papers are looked at again. */
  function filter() {
    var query = state.q.toLowerCase(), words = query.split(/\s+/).filter(Boolean);
    var rest = [state.section, state.from, state.to, state.code, state.website, state.sort].join("\n");
    var first = state.section in sectionIndex ? sectionIndex[state.section] : -1;
    var end = first >= 0 ? subtreeEnd[first] : 0;
    var lo = parseInt(state.from, 10) || 0, hi = parseInt(state.to, 10) || 99999;
    var narrowing = last.rest === rest && last.query !== null && query.indexOf(last.query) === 0;
    var order = narrowing ? last.matches : orders[state.sort] || orders.new, out = [];
    last = { query: query, rest: rest, matches: out };
    for (var n = 0; n < order.length; n++) {
      var i = order[n], e = ENTRIES[i], ok = true;
      if ((lo || hi < 99999) && (years[i] < lo || years[i] > hi)) { continue; }
      if (state.code && !e[CODE]) { continue; }
      if (state.website && !e[WEB]) { continue; }
      if (first >= 0 && !inSection(e, first, end)) { continue; }
      for (var w = 0; w < words.length; w++) {
        if (haystack[i].indexOf(words[w]) < 0) { ok = false; break; }
      }
      if (ok) { out.push(i); }
    }
    return out;
  }

  function dateLabel(date) {
    if (!date) { return ""; }
    var month = parseInt(date.slice(5, 7), 10);
    return month ? MONTHS[month - 1] + " " + date.slice(0, 4) : date.slice(0, 4);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function link(href, text, className) {
    var a = element("a", className, text);
    a.href = href;
    return a;
  }

  function entryItem(i) {
    var e = ENTRIES[i], li = element("li", "entry");
    li.setAttribute("data-key", e[KEY]);
    var heading = element("h3", "title");
    if (e[NICK]) { heading.appendChild(element("span", "nick", e[NICK])); heading.appendChild(document.createTextNode(" ")); }
    heading.appendChild(e[LINK] ? link(e[LINK], e[TITLE]) : document.createTextNode(e[TITLE]));
    li.appendChild(heading);
    var meta = [dateLabel(e[DATE]), e[VENUE]].filter(Boolean).join(" · ");
    if (meta) { li.appendChild(element("p", "meta", meta)); }
    if (e[AUTHORS]) { li.appendChild(element("p", "authors", e[AUTHORS])); }
    var links = element("p", "links");
    if (e[LINK]) {
      links.appendChild(e[LINK].indexOf("arxiv.org/") >= 0 ? link(e[LINK], "arXiv", "chip arxiv") : link(e[LINK], "Paper", "chip paper"));
    }
    if (e[CODE]) { links.appendChild(link(e[CODE], "Code", "chip code")); }
    if (e[WEB]) { links.appendChild(link(e[WEB], "Website", "chip web")); }
    e[EXTRA].forEach(function (x) { links.appendChild(link(x[1], x[0], "chip extra")); });
    e[SECS].forEach(function (s) {
      var b = element("button", "chip section", SECTIONS[s][1]);
      b.type = "button";
      b.setAttribute("data-section", SECTIONS[s][0]);
      b.setAttribute("aria-label", "Show section " + SECTIONS[s][1]);
      links.appendChild(b);
    });
    li.appendChild(links);
    return li;
  }

  function showMore() {
    var fragment = document.createDocumentFragment(), stop = Math.min(matches.length, shown + PAGE);
    for (; shown < stop; shown++) { fragment.appendChild(entryItem(matches[shown])); }
    list.appendChild(fragment);
    more.hidden = shown >= matches.length;
    more.textContent = "Show more (" + (matches.length - shown) + " left)";
  }

  function update() {
    matches = filter();
    shown = 0;
    list.textContent = "";
    showMore();
    count.textContent = matches.length === ENTRIES.length
      ? ENTRIES.length + " papers"
      : matches.length + " of " + ENTRIES.length + " papers";
    markSection();
  }

  function toHash() {
    var parts = [];
    if (state.q) { parts.push("q=" + encodeURIComponent(state.q)); }
    if (state.section) { parts.push("section=" + encodeURIComponent(state.section)); }
    if (state.from) { parts.push("from=" + encodeURIComponent(state.from)); }
    if (state.to) { parts.push("to=" + encodeURIComponent(state.to)); }
    if (state.code) { parts.push("code=1"); }
    if (state.website) { parts.push("website=1"); }
    if (state.sort !== "new") { parts.push("sort=" + state.sort); }
    return parts.length ? "#" + parts.join("&") : location.pathname + location.search;
  }

  function fromHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) {
        try { params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " ")); } catch (err) { /* a bad escape: ignore it */ }
      }
    });
    state.q = params.q || "";
    state.section = params.section || "";
    state.from = params.from || "";
    state.to = params.to || "";
    state.code = params.code === "1";
    state.website = params.website === "1";
    state.sort = params.sort in orders ? params.sort : "new";
    box.value = state.q; from.value = state.from; to.value = state.to;
    code.checked = state.code; web.checked = state.website; sort.value = state.sort;
  }

  function changed() {
    state.q = box.value;
    state.from = from.value;
    state.to = to.value;
    state.code = code.checked;
    state.website = web.checked;
    state.sort = sort.value;
    update();
    history.replaceState(null, "", toHash());
  }

  function sectionCounts() {
    var counts = SECTIONS.map(function () { return 0; });
    ENTRIES.forEach(function (e) {
      var hit = {};
      e[SECS].forEach(function (s) {
        for (var p = s; p >= 0; p = SECTIONS[p][2]) { if (!hit[p]) { hit[p] = true; counts[p]++; } }
      });
    });
    return counts;
  }

  function sectionButton(id, label, number) {
    var b = element("button", "node");
    b.type = "button";
    b.setAttribute("data-section", id);
    b.appendChild(element("span", "label", label));
    b.appendChild(element("span", "n", String(number)));
    return b;
  }

  function buildTree() {
    var counts = sectionCounts(), lists = [];
    var top = element("li");
    top.appendChild(sectionButton("", "All sections", ENTRIES.length));
    tree.appendChild(top);
    SECTIONS.forEach(function (s, i) {
      var li = element("li");
      li.appendChild(sectionButton(s[0], s[1], counts[i]));
      var parent = s[2] >= 0 ? lists[s[2]] : tree;
      if (!parent) { parent = tree; }
      parent.appendChild(li);
      if (subtreeEnd[i] > i + 1) { lists[i] = element("ul"); li.appendChild(lists[i]); }
    });
  }

  function markSection() {
    var buttons = tree.querySelectorAll("button[data-section]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-section") === state.section ? "true" : "false");
    }
  }

  function chooseSection(event) {
    var target = event.target.closest ? event.target.closest("button[data-section]") : null;
    if (!target) { return; }
    state.section = target.getAttribute("data-section");
    update();
    history.replaceState(null, "", toHash());
  }

  buildTree();
  fromHash();
  update();
  [box, from, to].forEach(function (input) { input.addEventListener("input", changed); });
  [code, web, sort].forEach(function (input) { input.addEventListener("change", changed); });
  tree.addEventListener("click", chooseSection);
  list.addEventListener("click", chooseSection);
  more.addEventListener("click", showMore);
  $("reset").addEventListener("click", function () {
    history.replaceState(null, "", location.pathname + location.search);
    state.section = "";
    fromHash();
    update();
    box.focus();
  });
  window.addEventListener("hashchange", function () { fromHash(); update(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== box && !/INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)) {
      event.preventDefault();
      box.focus();
    }
  });
})();
