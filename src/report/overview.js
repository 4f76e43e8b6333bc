"use strict";
// The batch overview's table: sort by a column, filter by cause, verdict and text.
(function () {
  var table = document.getElementById("bundles");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var cause = document.getElementById("f-cause");
  var verdict = document.getElementById("f-verdict");
  var text = document.getElementById("f-text");
  var count = document.getElementById("f-count");
  var key = -1, dir = 1;
  function apply() {
    var c = cause.value, v = verdict.value, t = text.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var ok = (!c || r.dataset.cause === c) && (!v || r.dataset.verdict === v) &&
        (!t || r.textContent.toLowerCase().indexOf(t) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    var template = count.dataset.template || "{shown} of {total} bundles";
    count.textContent = template.replace("{shown}", n).replace("{total}", rows.length);
  }
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button"), function (b, i) {
    b.addEventListener("click", function () {
      dir = key === i ? -dir : 1;
      key = i;
      var numeric = b.dataset.numeric === "1";
      rows.sort(function (x, y) {
        var a = x.cells[i].dataset.v || x.cells[i].textContent, c = y.cells[i].dataset.v || y.cells[i].textContent;
        if (numeric) { a = parseFloat(a) || 0; c = parseFloat(c) || 0; }
        return (a < c ? -1 : a > c ? 1 : 0) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  [cause, verdict].forEach(function (x) { x.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  apply();
})();
