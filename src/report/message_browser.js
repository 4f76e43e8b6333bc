"use strict";
// The SIP message browser of an sfbtriage report: filters over the message list, the whole
// message on a click (on a row or on a ladder arrow). Message text is only ever set with
// textContent: it is hostile input.
(function () {
  var data = document.getElementById("msg-data");
  var list = document.getElementById("msg-list");
  if (!data || !list) return;
  var texts = JSON.parse(data.textContent);
  var rows = Array.prototype.slice.call(list.querySelectorAll("tbody tr"));
  var all = document.getElementById("msg-all");
  var kind = document.getElementById("msg-kind");
  var call = document.getElementById("msg-call");
  var text = document.getElementById("msg-text");
  var count = document.getElementById("msg-count");
  var view = document.getElementById("msg-view");
  var title = document.getElementById("msg-view-title");
  var pre = document.getElementById("msg-view-text");
  var hasLadder = rows.some(function (r) { return r.dataset.ladder === "1"; });
  var HIGHLIGHT = /^(ms-diagnostics(-public)?|ms-client-diagnostics|www-authenticate|proxy-authenticate|date)\s*:/i;

  function apply() {
    var k = kind.value, c = call.value.trim().toLowerCase(), t = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (all.checked || !hasLadder || r.dataset.ladder === "1") &&
        (!k || r.dataset.kind === k || r.dataset.method === k) &&
        (!c || r.dataset.call.toLowerCase().indexOf(c) >= 0) &&
        (!t || texts[+r.dataset.i].toLowerCase().indexOf(t) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = (count.dataset.template || "{count} shown").replace("{count}", shown);
  }

  function open(r) {
    rows.forEach(function (x) { x.classList.toggle("current", x === r); });
    var i = +r.dataset.i;
    title.textContent = r.dataset.key + " — " + r.cells[0].textContent + " " + r.cells[1].textContent;
    pre.textContent = "";
    texts[i].split("\n").forEach(function (line, n) {
      var span = document.createElement(n === 0 ? "b" : HIGHLIGHT.test(line) ? "mark" : "span");
      span.textContent = line.replace(/\r$/, "") + "\n";
      pre.appendChild(span);
    });
    view.hidden = false;
  }

  rows.forEach(function (r) {
    r.addEventListener("click", function () { open(r); });
    r.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(r); }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("svg .step[data-msg]"), function (g) {
    function go() {
      var r = rows.filter(function (x) { return x.dataset.key === g.dataset.msg; })[0];
      if (!r) return;
      if (r.hidden) { all.checked = true; kind.value = ""; call.value = ""; text.value = ""; apply(); }
      open(r);
      view.scrollIntoView({ block: "nearest" });
    }
    g.addEventListener("click", go);
    g.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
    });
  });
  [all, kind].forEach(function (x) { x.addEventListener("change", apply); });
  [call, text].forEach(function (x) { x.addEventListener("input", apply); });
  apply();
})();
