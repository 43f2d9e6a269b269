/* Loket staff console. Everything the public wrote is shown with textContent, never as HTML. */
(function () {
  "use strict";
  var csrf = "";
  var me = null;
  var current = null;  // open conversation id
  var events = null;
  var kb = { articles: [], article: null };

  function $(id) { return document.getElementById(id); }
  function text(tag, value, cls) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = value;
    return e;
  }
  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrf;
    return fetch(path, { method: method, headers: headers, credentials: "same-origin",
                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Error((j.error && j.error.message) || ("HTTP " + r.status));
          return j;
        });
      });
  }
  function show(view) {
    ["login-view", "queue-view", "kb-view"].forEach(function (v) { $(v).hidden = v !== view; });
    $("nav").hidden = view === "login-view";
  }
  function waited(s) {
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  // Sign in.
  $("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    $("login-error").textContent = "";
    api("POST", "/api/v1/staff/login", { email: $("email").value, password: $("password").value })
      .then(start)
      .catch(function (err) { $("login-error").textContent = err.message; });
  });
  $("logout").addEventListener("click", function () {
    api("POST", "/api/v1/staff/logout").finally(function () { location.reload(); });
  });
  function start(session) {
    csrf = session.csrf;
    me = session.staff;
    $("who").textContent = me.name + " (" + me.role + ")";
    var handles = me.role === "agent" || me.role === "supervisor" || me.role === "admin";
    var edits = me.role === "content-manager" || me.role === "admin";
    $("nav-queue").hidden = !handles;
    $("nav-kb").hidden = !edits;
    if (handles) { show("queue-view"); loadQueue(); listen(); } else { show("kb-view"); loadArticles(); }
  }
  document.querySelectorAll("[data-view]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (b.dataset.view === "queue") { show("queue-view"); loadQueue(); }
      else { show("kb-view"); loadArticles(); }
    });
  });

  // Queue, live.
  function listen() {
    if (events) events.close();
    events = new EventSource("/api/v1/handoff/events");
    events.addEventListener("queue", function () {
      loadQueue();
      if (current) openConversation(current);
    });
  }
  function loadQueue() {
    api("GET", "/api/v1/handoff/queue").then(function (j) {
      var body = $("queue-body");
      body.textContent = "";
      $("queue-count").textContent = "(" + j.items.length + ")";
      j.items.forEach(function (it) {
        var tr = document.createElement("tr");
        tr.dataset.conversation = it.conversation;
        if (it.priority === "urgent") tr.classList.add("urgent");
        if (it.sla_breached) tr.classList.add("breach");
        [it.priority, it.lang, it.queue, it.reason, waited(it.waited_s) + (it.sla_breached ? " (SLA!)" : ""), it.assigned_to || "—"]
          .forEach(function (v) { tr.appendChild(text("td", v)); });
        var td = document.createElement("td");
        var open = text("button", "Open");
        open.type = "button";
        open.setAttribute("aria-label", "Open conversation " + it.conversation);
        open.addEventListener("click", function () { openConversation(it.conversation); });
        td.appendChild(open);
        tr.appendChild(td);
        body.appendChild(tr);
      });
    }).catch(function () {});
  }
  function openConversation(id) {
    current = id;
    api("GET", "/api/v1/handoff/conversations/" + id).then(function (c) {
      $("conversation").hidden = false;
      $("conv-meta").textContent = "#" + c.id + " · " + c.channel + " · language " + (c.lang || "?") + " · " + c.mode +
        " · queue " + c.queue + (c.profile.audience ? " · " + c.profile.audience : "") +
        (c.profile.municipality ? " · " + c.profile.municipality : "");
      var list = $("transcript");
      list.textContent = "";
      c.messages.forEach(function (m) {
        var li = document.createElement("li");
        li.className = m.from;
        li.appendChild(text("span", m.from + " · " + new Date(m.ts_ms).toLocaleString(), "from"));
        li.appendChild(document.createTextNode(m.text));
        if (m.choices && m.choices.length) li.appendChild(text("span", "[" + m.choices.join(" | ") + "]", "from"));
        list.appendChild(li);
      });
      list.scrollTop = list.scrollHeight;
      var notes = $("notes");
      notes.textContent = "";
      c.notes.forEach(function (n) { notes.appendChild(text("li", n.by + ": " + n.text)); });
    }).catch(function (err) { $("conv-error").textContent = err.message; });
  }
  function act(action, body) {
    if (!current) return;
    $("conv-error").textContent = "";
    api("POST", "/api/v1/handoff/conversations/" + current + "/" + action, body || {})
      .then(function () { loadQueue(); openConversation(current); })
      .catch(function (err) { $("conv-error").textContent = err.message; });
  }
  $("claim").addEventListener("click", function () { act("claim"); });
  $("return").addEventListener("click", function () { act("return"); });
  $("close").addEventListener("click", function () { act("close"); });
  $("transfer").addEventListener("click", function () { act("transfer", { queue: $("transfer-queue").value }); });
  $("reply-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("reply").value.trim();
    if (!value) return;
    $("reply").value = "";
    act("messages", { text: value });
  });
  $("note-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("note").value.trim();
    if (!value) return;
    $("note").value = "";
    act("notes", { text: value });
  });

  // Knowledge base (content managers).
  function loadArticles() {
    api("GET", "/api/v1/kb/articles").then(function (j) {
      kb.articles = j.articles;
      renderArticles();
    }).catch(function (err) { $("kb-status").textContent = err.message; });
  }
  var LOCALES = ["nl", "en", "pl", "ro", "bg", "uk", "hu", "lt", "lv", "sk", "cs", "pt", "es", "de", "ar", "tr"];
  function renderCoverage() {
    var table = $("kb-coverage");
    while (table.rows.length) table.deleteRow(0);
    var head = table.insertRow();
    head.appendChild(text("th", "article"));
    LOCALES.forEach(function (l) { var th = text("th", l); th.scope = "col"; head.appendChild(th); });
    head.appendChild(text("th", "review"));
    kb.articles.forEach(function (a) {
      var row = table.insertRow();
      var th = text("th", a.id);
      th.scope = "row";
      row.appendChild(th);
      LOCALES.forEach(function (l) {
        var state = a.missing.indexOf(l) >= 0 ? "✗" : a.outdated.indexOf(l) >= 0 ? "!" : "✓";
        var td = text("td", state);
        td.title = l + ": " + (state === "✓" ? "current" : state === "!" ? "outdated" : "missing");
        row.appendChild(td);
      });
      row.appendChild(text("td", a.review_due ? "due" : a.last_reviewed));
    });
  }
  function renderArticles() {
    renderCoverage();
    var q = $("kb-search").value.toLowerCase();
    var list = $("kb-list");
    list.textContent = "";
    kb.articles.filter(function (a) { return !q || a.id.indexOf(q) >= 0 || (a.title || "").toLowerCase().indexOf(q) >= 0; })
      .forEach(function (a) {
        var li = document.createElement("li");
        var b = text("button", a.id + " — " + a.title + (a.missing.length ? " (missing: " + a.missing.join(",") + ")" : "") +
                     (a.outdated.length ? " (outdated: " + a.outdated.join(",") + ")" : "") + (a.draft ? " [draft]" : ""));
        b.type = "button";
        b.dataset.article = a.id;
        b.addEventListener("click", function () { openArticle(a.id); });
        li.appendChild(b);
        list.appendChild(li);
      });
  }
  $("kb-search").addEventListener("input", renderArticles);
  function openArticle(id) {
    api("GET", "/api/v1/kb/articles/" + id).then(function (j) {
      kb.article = j.draft || j.article;
      $("kb-editor").hidden = false;
      $("kb-article-title").textContent = id + (j.draft ? " (draft)" : "");
      var sel = $("kb-locale");
      var keep = sel.value || "pl";
      sel.textContent = "";
      Object.keys(kb.article.translations).forEach(function (l) {
        var o = text("option", l);
        o.value = l;
        sel.appendChild(o);
      });
      sel.value = kb.article.translations[keep] ? keep : Object.keys(kb.article.translations)[0];
      fillLocale();
    });
  }
  function fillLocale() {
    var t = kb.article.translations[$("kb-locale").value];
    $("kb-title-input").value = t.title;
    $("kb-answer").value = t.answer;
    preview();
  }
  function preview() {
    var value = $("kb-answer").value;
    var n = Array.from(value).length;
    $("kb-count").textContent = n;
    $("kb-count").className = n > 900 ? "over" : "";
    var box = $("kb-preview");
    box.textContent = "";
    box.appendChild(text("div", value));
    box.dir = $("kb-locale").value === "ar" ? "rtl" : "ltr";
  }
  $("kb-locale").addEventListener("change", fillLocale);
  $("kb-answer").addEventListener("input", preview);
  function collect() {
    var t = kb.article.translations[$("kb-locale").value];
    if (t.answer !== $("kb-answer").value || t.title !== $("kb-title-input").value) {
      t.answer = $("kb-answer").value;
      t.title = $("kb-title-input").value;
      t.version = (t.version || 1) + 1;
    }
    return kb.article;
  }
  $("kb-save").addEventListener("click", function () {
    api("PUT", "/api/v1/kb/articles/" + kb.article.id + "/draft", collect())
      .then(function () { $("kb-status").textContent = "Draft saved. People still get the published version."; })
      .catch(function (err) { $("kb-status").textContent = err.message; });
  });
  $("kb-publish").addEventListener("click", function () {
    api("PUT", "/api/v1/kb/articles/" + kb.article.id + "/draft", collect())
      .then(function () { return api("POST", "/api/v1/kb/publish", { note: "console" }); })
      .then(function (j) { $("kb-status").textContent = "Published as version " + j.version + "."; loadArticles(); })
      .catch(function (err) { $("kb-status").textContent = err.message; });
  });
  $("kb-try-form").addEventListener("submit", function (e) {
    e.preventDefault();
    api("POST", "/api/v1/kb/try", { text: $("kb-try").value, draft: $("kb-try-draft").checked })
      .then(function (j) { $("kb-try-result").textContent = JSON.stringify(j, null, 2); })
      .catch(function (err) { $("kb-try-result").textContent = err.message; });
  });

  // Already signed in?
  api("GET", "/api/v1/staff/me").then(start).catch(function () { show("login-view"); });
})();
