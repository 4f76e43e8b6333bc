"use strict";
// sfbtriage serve: upload bundles, show verdicts and reports. All data from the server is
// shown with textContent (never parsed as HTML); the report itself is framed from the server.
(function () {
  var params = new URLSearchParams(location.search);
  var token = params.get("token") || sessionStorage.getItem("sfbtriage-token") || "";
  if (params.get("token")) {
    sessionStorage.setItem("sfbtriage-token", token);
    history.replaceState(null, "", location.pathname);
  }
  var $ = function (id) { return document.getElementById(id); };
  var drop = $("drop"), input = $("file"), errorBox = $("error");
  var rows = [], queue = [], busy = false, sortKey = null, sortDir = 1, current = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function showError(msg) { errorBox.textContent = msg; errorBox.hidden = false; }
  function clearError() { errorBox.textContent = ""; errorBox.hidden = true; }
  function resultUrl(id, format, extra) {
    return "/api/result/" + encodeURIComponent(id) + "?format=" + format + (extra || "") +
      "&token=" + encodeURIComponent(token);
  }

  function enqueue(files) {
    clearError();
    var list = Array.prototype.slice.call(files);
    if (!list.length) return;
    list.forEach(function (f) {
      var job = el("div", "job");
      var name = el("span", "name mono", f.name);
      var bar = el("progress"); bar.max = 1; bar.value = 0;
      bar.setAttribute("aria-label", "progress of " + f.name);
      var state = el("span", "state", "waiting");
      job.append(name, bar, state);
      $("progress-area").append(job);
      queue.push({ file: f, job: job, bar: bar, state: state });
    });
    next();
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    var item = queue.shift();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/analyze?name=" + encodeURIComponent(item.file.name));
    xhr.setRequestHeader("Authorization", "Bearer " + token);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    item.state.textContent = "uploading";
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) item.bar.value = e.loaded / e.total;
    };
    xhr.upload.onload = function () {
      item.state.textContent = "analysing…";
      item.bar.removeAttribute("value"); // indeterminate
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 200 && body) {
        item.bar.value = 1;
        item.state.textContent = "done";
        item.job.classList.add("done");
        var row = {
          name: item.file.name, id: xhr.getResponseHeader("X-Sfbtriage-Result"), json: body,
          verdict: body.verdict, cause: body.causes.length ? body.causes[0].id : "",
          confidence: body.causes.length ? body.causes[0].confidence : null,
          members: body.totals.members, errors: body.totals.failed
        };
        rows.push(row);
        renderBatch();
        if (rows.length === 1 || queue.length === 0) show(row);
      } else {
        var msg = (body && body.error) ? body.error : ("HTTP " + xhr.status + " " + xhr.statusText);
        fail(item, xhr.status + ": " + msg);
      }
      finish();
    };
    xhr.onerror = function () { fail(item, "the server could not be reached"); finish(); };
    xhr.send(item.file);
  }
  function fail(item, msg) {
    item.bar.value = 0;
    item.state.textContent = "failed";
    item.job.classList.add("failed");
    showError(item.file.name + " — " + msg);
  }
  function finish() { busy = false; next(); }

  function show(row) {
    current = row;
    var v = $("verdict"), j = row.json;
    v.textContent = "";
    v.className = "banner " + (j.causes.length ? "bad" : "ok");
    if (j.causes.length) {
      var c = j.causes[0];
      var big = el("div", "big", "Most likely: " + c.title + " ");
      big.append(el("span", "mono", "(" + c.id + ")"));
      v.append(big, el("div", null, "confidence " + c.confidence_label + " " + c.confidence.toFixed(2) +
        " — " + j.causes.length + " cause" + (j.causes.length === 1 ? "" : "s") + " found in " + row.name));
    } else {
      v.append(el("div", "big", "No documented cause found"),
        el("div", null, "Nothing in " + row.name + " matches a documented sign-in failure."));
    }
    var d = $("downloads");
    d.textContent = "";
    d.append(el("span", "muted", "Download: "));
    [["html", "HTML"], ["md", "Markdown"], ["json", "JSON"], ["csv", "CSV"]].forEach(function (f) {
      var a = el("a", null, f[1]); a.href = resultUrl(row.id, f[0], "&download=1"); a.download = "";
      d.append(a);
    });
    d.append(el("span", "muted", " redacted: "));
    [["html", "HTML"], ["md", "Markdown"], ["json", "JSON"], ["csv", "CSV"]].forEach(function (f) {
      var a = el("a", null, f[1]); a.href = resultUrl(row.id, f[0], "&download=1&redact=1"); a.download = "";
      d.append(a);
    });
    $("report").src = resultUrl(row.id, "html");
    $("result").hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll("#batch-table tbody tr"), function (tr) {
      tr.classList.toggle("current", tr.dataset.id === row.id);
    });
  }

  function bars(container, counts) {
    container.textContent = "";
    var entries = Object.keys(counts).map(function (k) { return [k, counts[k]]; });
    entries.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
    var max = Math.max.apply(null, entries.map(function (e) { return e[1]; }).concat([1]));
    var ns = "http://www.w3.org/2000/svg", h = 22, w = 440, lw = 200;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + (entries.length * h + 4));
    svg.setAttribute("width", "100%");
    svg.setAttribute("role", "img");
    entries.forEach(function (e, i) {
      var t = document.createElementNS(ns, "text");
      t.setAttribute("x", 0); t.setAttribute("y", i * h + 15); t.textContent = e[0];
      var r = document.createElementNS(ns, "rect");
      r.setAttribute("x", lw); r.setAttribute("y", i * h + 3); r.setAttribute("height", 15);
      r.setAttribute("width", Math.max(2, (w - lw - 40) * e[1] / max));
      r.setAttribute("fill", e[0] === "no-cause-found" || e[0] === "(none)" ? "#067647" : "#b42318");
      var n = document.createElementNS(ns, "text");
      n.setAttribute("x", lw + 6 + (w - lw - 40) * e[1] / max); n.setAttribute("y", i * h + 15);
      n.textContent = e[1];
      svg.append(t, r, n);
    });
    container.append(svg);
  }

  function renderBatch() {
    if (rows.length < 2) { $("batch").hidden = true; return; }
    $("batch").hidden = false;
    $("batch-count").textContent = rows.length + " bundles";
    var byVerdict = {}, byCause = {};
    rows.forEach(function (r) {
      byVerdict[r.verdict] = (byVerdict[r.verdict] || 0) + 1;
      var c = r.cause || "(none)";
      byCause[c] = (byCause[c] || 0) + 1;
    });
    bars($("chart-verdict"), byVerdict);
    bars($("chart-cause"), byCause);
    var filter = $("batch-filter").value.toLowerCase();
    var list = rows.filter(function (r) {
      return !filter || [r.name, r.verdict, r.cause].join(" ").toLowerCase().indexOf(filter) >= 0;
    });
    if (sortKey) {
      list.sort(function (a, b) {
        var x = a[sortKey], y = b[sortKey];
        if (x === null) x = -1; if (y === null) y = -1;
        return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
      });
    }
    var tbody = document.querySelector("#batch-table tbody");
    tbody.textContent = "";
    list.forEach(function (r) {
      var tr = el("tr");
      tr.dataset.id = r.id;
      tr.tabIndex = 0;
      tr.append(el("td", "mono", r.name), el("td", null, r.verdict), el("td", "mono", r.cause || "—"),
        el("td", null, r.confidence === null ? "—" : r.confidence.toFixed(2)),
        el("td", null, r.members), el("td", null, r.errors));
      if (current && current.id === r.id) tr.classList.add("current");
      tr.addEventListener("click", function () { show(r); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter") show(r); });
      tbody.append(tr);
    });
  }

  document.querySelectorAll("#batch-table th button").forEach(function (b) {
    b.addEventListener("click", function () {
      var k = b.dataset.sort;
      sortDir = sortKey === k ? -sortDir : 1;
      sortKey = k;
      renderBatch();
    });
  });
  $("batch-filter").addEventListener("input", renderBatch);
  input.addEventListener("change", function () { enqueue(input.files); input.value = ""; });
  drop.addEventListener("click", function (e) {
    if (!e.target.closest("label, input")) input.click();
  });
  drop.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); }
  });
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files) enqueue(e.dataTransfer.files);
  });
  // A file dropped beside the zone must not make the browser navigate away from the page.
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { e.preventDefault(); });
  if (!token) showError("No access token: open the full URL that `sfbtriage serve` printed.");
})();
