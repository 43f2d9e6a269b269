/* Loket web-chat widget. Embed with one tag: <script src="https://HOST/widget.js" defer></script>
 * No third-party requests; talks only to the server it was loaded from. Keyboard accessible,
 * right-to-left for Arabic, staff replies arrive live (polling /api/v1/chat/messages). */
(function () {
  "use strict";
  if (window.__loketWidget) return;
  window.__loketWidget = true;

  var script = document.currentScript;
  var base = script ? new URL(script.src, location.href).origin : location.origin;
  var LANGS = [["nl", "Nederlands"], ["en", "English"], ["pl", "Polski"], ["ro", "Română"], ["bg", "Български"],
    ["uk", "Українська"], ["hu", "Magyar"], ["lt", "Lietuvių"], ["lv", "Latviešu"], ["sk", "Slovenčina"],
    ["cs", "Čeština"], ["pt", "Português"], ["es", "Español"], ["de", "Deutsch"], ["ar", "العربية"], ["tr", "Türkçe"]];
  var UI = {
    en: { open: "Chat with Loket", close: "Close chat", send: "Send", placeholder: "Type your question…", language: "Language", error: "The message could not be sent. Please try again." },
    nl: { open: "Chat met Loket", close: "Chat sluiten", send: "Verstuur", placeholder: "Typ je vraag…", language: "Taal", error: "Het bericht kon niet worden verstuurd. Probeer het opnieuw." },
    pl: { open: "Czat z Loket", close: "Zamknij czat", send: "Wyślij", placeholder: "Wpisz pytanie…", language: "Język", error: "Nie udało się wysłać wiadomości. Spróbuj ponownie." },
    ar: { open: "الدردشة مع Loket", close: "إغلاق الدردشة", send: "إرسال", placeholder: "اكتب سؤالك…", language: "اللغة", error: "تعذر إرسال الرسالة. حاول مرة أخرى." }
  };
  var store = window.sessionStorage;
  var state = {
    session: store.getItem("loket.session") || "",
    lang: store.getItem("loket.lang") || (navigator.language || "en").slice(0, 2),
    seq: Number(store.getItem("loket.seq") || 0),
    busy: false
  };
  if (!LANGS.some(function (l) { return l[0] === state.lang; })) state.lang = "en";

  function ui(key) { return (UI[state.lang] || UI.en)[key] || UI.en[key]; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;  // always text, never HTML
    return e;
  }

  var css = ".lk-btn{position:fixed;bottom:20px;right:20px;z-index:2147483000;background:#0b5cad;color:#fff;border:0;border-radius:28px;padding:14px 20px;font:600 15px system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}" +
    ".lk-btn:focus-visible,.lk-panel button:focus-visible,.lk-panel select:focus-visible,.lk-panel textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}" +
    ".lk-panel{position:fixed;bottom:84px;right:20px;z-index:2147483000;width:min(380px,calc(100vw - 24px));height:min(560px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;color:#1d1d1d;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);font:15px/1.4 system-ui,sans-serif;overflow:hidden}" +
    ".lk-panel[hidden]{display:none}.lk-head{display:flex;gap:8px;align-items:center;padding:10px 12px;background:#0b5cad;color:#fff}" +
    ".lk-head h2{flex:1;margin:0;font-size:16px}.lk-head select{max-width:140px}.lk-head button{background:transparent;color:#fff;border:0;font-size:20px;cursor:pointer}" +
    ".lk-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}" +
    ".lk-msg{max-width:85%;padding:8px 12px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".lk-me{align-self:flex-end;background:#dbeafe}.lk-bot{align-self:flex-start;background:#f1f3f5}.lk-staff{align-self:flex-start;background:#e6f4ea}" +
    ".lk-panel[dir=rtl] .lk-me{align-self:flex-start}.lk-panel[dir=rtl] .lk-bot,.lk-panel[dir=rtl] .lk-staff{align-self:flex-end}" +
    ".lk-choices{display:flex;flex-wrap:wrap;gap:6px}.lk-choices button{border:1px solid #0b5cad;background:#fff;color:#0b5cad;border-radius:16px;padding:5px 12px;cursor:pointer;font:inherit}" +
    ".lk-form{display:flex;gap:6px;padding:10px;border-top:1px solid #ddd}.lk-form textarea{flex:1;resize:none;font:inherit;padding:8px;border:1px solid #bbb;border-radius:8px}" +
    ".lk-form button{background:#0b5cad;color:#fff;border:0;border-radius:8px;padding:0 14px;font:inherit;cursor:pointer}.lk-err{color:#b00020;font-size:13px;padding:0 12px}";
  document.head.appendChild(el("style", {}, css));

  var button = el("button", { "class": "lk-btn", "aria-expanded": "false", "aria-controls": "lk-panel", "data-loket": "open" }, ui("open"));
  var panel = el("section", { "class": "lk-panel", id: "lk-panel", role: "dialog", "aria-label": "Loket", hidden: "" });
  var head = el("div", { "class": "lk-head" });
  var title = el("h2", {}, "Loket");
  var langLabel = el("label", { "for": "lk-lang", "class": "lk-sr" }, ui("language"));
  langLabel.style.cssText = "position:absolute;left:-9999px";
  var select = el("select", { id: "lk-lang", "aria-label": ui("language"), "data-loket": "language" });
  LANGS.forEach(function (l) {
    var o = el("option", { value: l[0], lang: l[0] }, l[1]);
    if (l[0] === state.lang) o.selected = true;
    select.appendChild(o);
  });
  var close = el("button", { "aria-label": ui("close"), "data-loket": "close" }, "×");
  head.appendChild(title); head.appendChild(langLabel); head.appendChild(select); head.appendChild(close);
  var log = el("div", { "class": "lk-log", role: "log", "aria-live": "polite", "data-loket": "log" });
  var error = el("div", { "class": "lk-err", role: "alert" });
  var form = el("form", { "class": "lk-form" });
  var input = el("textarea", { rows: "2", "aria-label": ui("placeholder"), placeholder: ui("placeholder"), "data-loket": "input" });
  var send = el("button", { type: "submit", "data-loket": "send" }, ui("send"));
  form.appendChild(input); form.appendChild(send);
  panel.appendChild(head); panel.appendChild(log); panel.appendChild(error); panel.appendChild(form);
  document.body.appendChild(button);
  document.body.appendChild(panel);

  function applyLanguage() {
    panel.setAttribute("lang", state.lang);
    panel.setAttribute("dir", state.lang === "ar" ? "rtl" : "ltr");
    button.textContent = ui("open");
    input.placeholder = ui("placeholder");
    input.setAttribute("aria-label", ui("placeholder"));
    send.textContent = ui("send");
    close.setAttribute("aria-label", ui("close"));
  }

  function addMessage(kind, text, choices) {
    var m = el("div", { "class": "lk-msg lk-" + kind, "data-from": kind }, text);
    log.appendChild(m);
    if (choices && choices.length) {
      var box = el("div", { "class": "lk-choices", role: "group" });
      choices.forEach(function (c) {
        var b = el("button", { type: "button", "data-choice": c.id }, c.label);
        b.addEventListener("click", function () {
          addMessage("me", c.label);
          post({ choice: c.id });
        });
        box.appendChild(b);
      });
      log.appendChild(box);
    }
    log.scrollTop = log.scrollHeight;
  }

  function remember(body) {
    if (body.session) { state.session = body.session; store.setItem("loket.session", body.session); }
    if (body.lang && body.lang !== state.lang) {
      state.lang = body.lang; store.setItem("loket.lang", body.lang); select.value = body.lang; applyLanguage();
    }
    if (typeof body.seq === "number" && body.seq > state.seq) { state.seq = body.seq; store.setItem("loket.seq", String(body.seq)); }
  }

  // Messages are sent one at a time, in order: a turn waits for the previous one's answer.
  var pending = [];
  function post(payload) {
    pending.push(payload);
    if (!state.busy) next();
  }
  function next() {
    var payload = pending.shift();
    if (!payload) return;
    state.busy = true;
    error.textContent = "";
    var headers = { "Content-Type": "application/json" };
    if (state.session) headers["X-Loket-Session"] = state.session;
    payload.lang = payload.lang || undefined;
    fetch(base + "/api/v1/chat", { method: "POST", headers: headers, body: JSON.stringify(payload) })
      .then(function (r) {
        if (r.status === 401) { state.session = ""; store.removeItem("loket.session"); throw new Error("session"); }
        if (!r.ok) throw new Error("http " + r.status);
        return r.json();
      })
      .then(function (body) {
        remember(body);
        (body.replies || []).forEach(function (rep) { addMessage("bot", rep.text, rep.choices); });
      })
      .catch(function () { error.textContent = ui("error"); })
      .then(function () { state.busy = false; next(); });
  }

  function poll() {
    if (!state.session || panel.hidden) return;
    fetch(base + "/api/v1/chat/messages?after=" + state.seq, { headers: { "X-Loket-Session": state.session } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) return;
        (body.messages || []).forEach(function (m) {
          if (m.seq > state.seq) addMessage(m.from === "staff" ? "staff" : "bot", m.text, m.choices);
        });
        if (body.seq > state.seq) { state.seq = body.seq; store.setItem("loket.seq", String(body.seq)); }
      })
      .catch(function () {});
  }
  setInterval(poll, 3000);

  button.addEventListener("click", function () {
    var open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      input.focus();
      if (!state.session && !log.childElementCount) post({ text: "menu", lang: state.lang });
    }
  });
  close.addEventListener("click", function () { panel.hidden = true; button.setAttribute("aria-expanded", "false"); button.focus(); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close.click(); });
  select.addEventListener("change", function () {
    state.lang = select.value; store.setItem("loket.lang", state.lang); applyLanguage();
    post({ choice: "lang:" + state.lang });
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    addMessage("me", text);
    post(state.session ? { text: text } : { text: text });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  applyLanguage();
})();
