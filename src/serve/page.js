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
  var rows = [], queue = [], busy = false, current = null;

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
        row.job = item.job;
        item.job.tabIndex = 0;
        item.job.setAttribute("role", "button");
        item.job.title = "show this report";
        item.job.addEventListener("click", function () { show(row); });
        item.job.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(row); }
        });
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
    rows.forEach(function (r) { r.job.classList.toggle("current", r === row); });
  }

  function renderBatch() {
    if (rows.length < 2) { $("batch").hidden = true; return; }
    $("batch").hidden = false;
    $("batch-count").textContent = "(" + rows.length + " bundles)";
    $("overview").src = "/api/overview?ids=" + rows.map(function (r) { return encodeURIComponent(r.id); }).join(",") +
      "&token=" + encodeURIComponent(token);
  }

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
