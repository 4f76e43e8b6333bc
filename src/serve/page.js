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
  var rows = [], queue = [], jobs = [], busy = false, current = null;

  // The page's texts in five languages (the `[page]` tables of rules/i18n/chrome.*.toml),
  // embedded by the server; the menu's choice is remembered in localStorage.
  var messages = {};
  try { messages = JSON.parse($("messages").textContent); } catch (e) { messages = {}; }
  var serverLang = document.body.getAttribute("data-lang") || "en";
  var lang = localStorage.getItem("sfbtriage-lang");
  if (!messages[lang]) lang = messages[serverLang] ? serverLang : "en";
  function t(key, args) {
    var table = messages[lang] || {}, text = table[key];
    if (text === undefined) text = (messages.en || {})[key];
    if (text === undefined) text = key;
    return String(text).replace(/\{(\w+)\}/g, function (m, name) {
      return args && Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : m;
    });
  }
  function plural(key, count, args) {
    var one = count === 1 || (lang === "fr" && count === 0);
    return t(key + (one ? ".one" : ".other"), args);
  }
  // The JSON keeps the code (`high`); the page shows the word of its language.
  function confidenceLabel(code) {
    var key = "confidence_" + code;
    return (messages[lang] || {})[key] || (messages.en || {})[key] || code;
  }
  function applyLang() {
    document.documentElement.lang = lang;
    document.title = t("title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (e) {
      e.textContent = t(e.getAttribute("data-i18n"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-title]"), function (e) {
      e.title = t(e.getAttribute("data-i18n-title"));
    });
    jobs.forEach(function (item) {
      item.state.textContent = t(item.stateKey);
      item.bar.setAttribute("aria-label", t("progress_of", { name: item.file.name }));
      if (item.job.getAttribute("role") === "button") item.job.title = t("show_report");
    });
    if (!token) showError(t("no_token"));
  }

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
      "&lang=" + encodeURIComponent(lang) + "&token=" + encodeURIComponent(token);
  }

  function enqueue(files) {
    clearError();
    var list = Array.prototype.slice.call(files);
    if (!list.length) return;
    list.forEach(function (f) {
      var job = el("div", "job");
      var name = el("span", "name mono", f.name);
      var bar = el("progress"); bar.max = 1; bar.value = 0;
      bar.setAttribute("aria-label", t("progress_of", { name: f.name }));
      var state = el("span", "state", t("waiting"));
      job.append(name, bar, state);
      $("progress-area").append(job);
      var item = { file: f, job: job, bar: bar, state: state, stateKey: "waiting" };
      jobs.push(item);
      queue.push(item);
    });
    next();
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    var item = queue.shift();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/analyze?name=" + encodeURIComponent(item.file.name) +
      "&lang=" + encodeURIComponent(lang));
    xhr.setRequestHeader("Authorization", "Bearer " + token);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    setState(item, "uploading");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) item.bar.value = e.loaded / e.total;
    };
    xhr.upload.onload = function () {
      setState(item, "analysing");
      item.bar.removeAttribute("value"); // indeterminate
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 200 && body) {
        item.bar.value = 1;
        setState(item, "done");
        item.job.classList.add("done");
        var row = {
          name: item.file.name, id: xhr.getResponseHeader("X-Sfbtriage-Result"), json: body,
          lang: body.lang || lang,
          verdict: body.verdict, cause: body.causes.length ? body.causes[0].id : "",
          confidence: body.causes.length ? body.causes[0].confidence : null,
          members: body.totals.members, errors: body.totals.failed
        };
        rows.push(row);
        row.job = item.job;
        item.job.tabIndex = 0;
        item.job.setAttribute("role", "button");
        item.job.title = t("show_report");
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
    xhr.onerror = function () { fail(item, t("unreachable")); finish(); };
    xhr.send(item.file);
  }
  function fail(item, msg) {
    item.bar.value = 0;
    setState(item, "failed");
    item.job.classList.add("failed");
    showError(item.file.name + " — " + msg);
  }
  function finish() { busy = false; next(); }
  function setState(item, key) { item.stateKey = key; item.state.textContent = t(key); }

  function show(row) {
    current = row;
    if (row.lang !== lang) {
      // The verdict in the page's language: ask for the kept analysis again.
      var want = lang, xhr = new XMLHttpRequest();
      xhr.open("GET", resultUrl(row.id, "json"));
      xhr.setRequestHeader("Authorization", "Bearer " + token);
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 200 && body) {
          row.json = body; row.lang = want;
          if (current === row && lang === want) show(row);
        } else {
          showError(row.name + " — " + xhr.status + ": " + ((body && body.error) || xhr.statusText));
        }
      };
      xhr.onerror = function () { showError(row.name + " — " + t("unreachable")); };
      xhr.send();
      return;
    }
    var v = $("verdict"), j = row.json;
    v.textContent = "";
    v.className = "banner " + (j.causes.length ? "bad" : "ok");
    if (j.causes.length) {
      var c = j.causes[0];
      var big = el("div", "big", t("most_likely", { title: c.title }) + " ");
      big.append(el("span", "mono", "(" + c.id + ")"));
      v.append(big, el("div", null, plural("found", j.causes.length, {
        label: confidenceLabel(c.confidence_label), value: c.confidence.toFixed(2), count: j.causes.length, name: row.name
      })));
    } else {
      v.append(el("div", "big", t("no_cause")),
        el("div", null, t("no_cause_detail", { name: row.name })));
    }
    var d = $("downloads");
    d.textContent = "";
    d.append(el("span", "muted", t("download") + " "));
    [["html", "HTML"], ["md", "Markdown"], ["json", "JSON"], ["csv", "CSV"]].forEach(function (f) {
      var a = el("a", null, f[1]); a.href = resultUrl(row.id, f[0], "&download=1"); a.download = "";
      d.append(a);
    });
    d.append(el("span", "muted", " " + t("redacted") + " "));
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
    $("batch-count").textContent = t("batch_count", { count: rows.length });
    $("overview").src = "/api/overview?ids=" + rows.map(function (r) { return encodeURIComponent(r.id); }).join(",") +
      "&lang=" + encodeURIComponent(lang) + "&token=" + encodeURIComponent(token);
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
  var menu = $("lang");
  menu.value = lang;
  menu.addEventListener("change", function () {
    if (!messages[menu.value]) return;
    lang = menu.value;
    localStorage.setItem("sfbtriage-lang", lang);
    applyLang();
    renderBatch();
    if (current) show(current);
  });
  applyLang();
})();
