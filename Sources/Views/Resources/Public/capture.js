// Offline capture (issue 21). Forms marked data-capture (the incident report, the tally, the
// movement check-in, "where I am") are kept in this browser's IndexedDB before they are sent, with
// an id made here that the server treats as the entry's key: an entry sent twice makes one record.
// Entries belong to the account that made them and are sent under no other. Without this script
// (or without IndexedDB) the forms post as pages, as they always did.
(function () {
  "use strict";
  var body = document.body;
  var account = body && body.getAttribute("data-account");
  if (!account || !window.indexedDB || !window.fetch || !window.Promise) { return; }

  if ("serviceWorker" in navigator) {
    // A page that came before the worker (the first visit) is kept by the worker fetching it again.
    var controlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var message = { account: account };
      if (document.querySelector("form[data-capture]") && !controlled) {
        message.keep = location.pathname + location.search;
      }
      registration.active.postMessage(message);
    }).catch(function () {});
  }

  // --- The queue ---------------------------------------------------------------------------
  var database = null;
  function open() {
    if (database) { return database; }
    database = new Promise(function (resolve, reject) {
      var request = indexedDB.open("bearing-capture", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("entries", { keyPath: "id" });
        request.result.createObjectStore("sent", { keyPath: "account" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return database;
  }
  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = work(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function everyone() { return run("entries", "readonly", function (s) { return s.getAll(); }); }
  function mine() {
    return everyone().then(function (all) {
      return all.filter(function (e) { return e.account === account; }).sort(function (a, b) { return a.made - b.made; });
    });
  }
  function put(entry) { return run("entries", "readwrite", function (s) { return s.put(entry); }); }
  function remove(id) { return run("entries", "readwrite", function (s) { return s.delete(id); }); }

  function newID() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- Capturing --------------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-capture")) { return; }
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "_csrf") { fields.push([name, value]); }
    });
    var button = event.submitter;
    if (button && button.name) { fields.push([button.name, button.value]); }
    var id = form.getAttribute("data-editing") || newID();
    fields.push(["client_id", id], ["client_account", account], ["captured_at", new Date().toISOString()]);
    var entry = {
      id: id, account: account, action: new URL(form.action, location.href).pathname,
      page: location.pathname + location.search, label: form.getAttribute("data-capture"),
      fields: fields, made: Date.now(), state: "waiting"
    };
    var online = navigator.onLine;
    put(entry).then(function () {
      form.removeAttribute("data-editing");
      if (!online) {
        form.reset();
        note(status && status.getAttribute("data-saved"));
        return render();
      }
      // Online, sent at once with the page's own token (one round trip fewer on a slow link); if
      // that token is refused (a page kept from an ended session), the queue's sender tries with a fresh one.
      var token = form.querySelector("input[name='_csrf']");
      var first = token ? sendOne(entry, token.value, true).catch(function () { return null; }) : Promise.resolve(null);
      return first.then(function (answer) { return answer || send(entry.id); }).then(function (answer) {
        // Sent at once: on to the record's page, as the form without the script would.
        if (answer && (answer.state === "created" || answer.state === "replayed") && answer.location) {
          location.assign(answer.location);
        } else {
          if (!answer) { form.reset(); note(status && status.getAttribute("data-saved")); }
          // Refused: the values are still in the form; sent again, they replace this entry.
          if (answer && answer.state === "refused") { form.setAttribute("data-editing", entry.id); }
          return render();
        }
      });
    }).catch(function () {
      // No IndexedDB here (a private window may refuse it): the page posts as it always did.
      form.submit();
    });
  }, true);

  // --- Sending ----------------------------------------------------------------------------
  var sending = null;
  var signedOut = false;
  var lastFailure = "";

  // Sends this account's waiting entries, one at a time, oldest first. With `only`, that entry's
  // answer is returned (null when it could not be sent). One sender at a time per page; across
  // tabs the Web Locks API keeps one, where the browser has it.
  function send(only) {
    if (sending) { return sending.then(function () { return only ? send(only) : null; }); }
    var answerFor = null;
    var work = function () {
      return mine().then(function (entries) {
        var waiting = entries.filter(function (e) { return e.state === "waiting"; });
        if (!waiting.length) { return; }
        return fetch("/capture/state", { credentials: "same-origin", cache: "no-store",
          headers: { Accept: "application/json" } }).then(function (response) {
          if (response.status === 401) { signedOut = true; return null; }
          if (!response.ok) { throw new Error(String(response.status)); }
          signedOut = false;
          return response.json();
        }).then(function (state) {
          // Never under another account, whatever the page says.
          if (!state || state.account !== account) { return; }
          return waiting.reduce(function (previous, entry) {
            return previous.then(function () {
              return sendOne(entry, state.csrf).then(function (answer) {
                if (entry.id === only) { answerFor = answer; }
              });
            });
          }, Promise.resolve());
        });
      }).then(function () { lastFailure = ""; }, function (error) {
        lastFailure = error && error.message ? error.message : String(error);
      });
    };
    var locked = navigator.locks ? navigator.locks.request("bearing-capture", work) : work();
    sending = locked.then(function () { sending = null; render(); return answerFor; });
    return sending;
  }

  function sendOne(entry, csrf, pageToken) {
    var form = new URLSearchParams();
    entry.fields.forEach(function (f) { form.append(f[0], f[1]); });
    form.append("_csrf", csrf);
    return fetch(entry.action, {
      method: "POST", body: form, credentials: "same-origin", redirect: "manual",
      headers: { "X-Bearing-Capture": "1", Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) {
        // A redirect to the sign-in page, a proxy's page: not an answer about the entry; it waits.
        if (response.type === "opaqueredirect") { signedOut = true; }
        throw new Error(String(response.status || "redirect"));
      }
      if (response.status >= 500) { throw new Error(String(response.status)); }
      if (pageToken && response.status === 403) { throw new Error("403"); }
      return response.json().then(function (answer) {
        if (answer.state === "created" || answer.state === "replayed") {
          return remove(entry.id).then(function () {
            return run("sent", "readwrite", function (s) {
              return s.put({ account: account, at: Date.now(), location: answer.location });
            });
          }).then(function () { return answer; });
        }
        // Refused or in conflict: kept, with the server's reason, until the person acts on it.
        entry.state = answer.state === "conflict" ? "conflict" : "refused";
        entry.reason = answer.message || "";
        entry.errors = answer.errors || {};
        entry.location = answer.location || "";
        return put(entry).then(function () { return answer; });
      });
    });
  }

  // --- What the page shows ----------------------------------------------------------------
  var status = document.getElementById("sync");
  var flash = "";
  function note(text) { flash = text || ""; }
  function say(key, n, time) {
    return (status.getAttribute("data-" + key) || "").replace("{n}", String(n)).replace("{time}", time || "");
  }
  function when(ms) {
    return new Date(ms).toLocaleString(document.documentElement.lang || undefined,
      { dateStyle: "short", timeStyle: "short" });
  }
  function element(name, text, attributes) {
    var e = document.createElement(name);
    if (text) { e.textContent = text; }
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    return e;
  }
  function isolated(text) { return element("bdi", text, { dir: "ltr" }); }

  function render() {
    if (!status) { return Promise.resolve(); }
    return Promise.all([everyone(), run("sent", "readonly", function (s) { return s.get(account); })])
      .then(function (results) {
        var all = results[0], sent = results[1];
        var own = all.filter(function (e) { return e.account === account; });
        var others = all.length - own.length;
        var waiting = own.filter(function (e) { return e.state === "waiting"; });
        status.textContent = "";
        status.hidden = false;
        if (flash) { status.appendChild(element("p", flash, { "class": "saved" })); }
        var line = element("p", "", { id: "sync-state" });
        line.appendChild(document.createTextNode(waiting.length ? say("waiting", waiting.length) : say("none")));
        if (sent) {
          var parts = say("last", 0, "\u0000").split("\u0000");
          line.appendChild(document.createTextNode(" " + parts[0]));
          line.appendChild(isolated(when(sent.at)));
          line.appendChild(document.createTextNode(parts[1] || ""));
        }
        status.appendChild(line);
        if (!navigator.onLine) { status.appendChild(element("p", say("offline"))); }
        if (signedOut && waiting.length) {
          var signIn = element("p");
          signIn.appendChild(element("a", say("sign-in"), {
            href: "/sign-in?next=" + encodeURIComponent(location.pathname + location.search) }));
          status.appendChild(signIn);
        } else if (lastFailure && waiting.length && navigator.onLine) {
          status.appendChild(element("p", "(" + lastFailure + ")", { "class": "hint" }));
        }
        if (others > 0) { status.appendChild(element("p", say("other", others), { "class": "hint" })); }
        var stuck = own.filter(function (e) { return e.state !== "waiting"; });
        if (stuck.length) {
          var list = element("ul", "", { "class": "plain sync-failed" });
          stuck.forEach(function (e) { list.appendChild(failure(e)); });
          status.appendChild(list);
        }
      }).catch(function () {});
  }

  // A refused or conflicting entry: the reason, each field's problem, and what the person can do.
  function failure(entry) {
    var item = element("li", "", { "data-entry": entry.id });
    var head = element("p");
    head.appendChild(element("strong", entry.label || ""));
    head.appendChild(document.createTextNode(" · "));
    var made = say("made", 0, "\u0000").split("\u0000");
    head.appendChild(document.createTextNode(made[0]));
    head.appendChild(isolated(when(entry.made)));
    head.appendChild(document.createTextNode((made[1] || "") + ": " + (entry.reason || "")));
    item.appendChild(head);
    var errors = entry.errors || {};
    var names = Object.keys(errors);
    if (names.length) {
      var list = element("ul");
      names.forEach(function (name) {
        var label = document.querySelector("label[for='" + CSS.escape(name) + "']");
        list.appendChild(element("li", (label ? label.textContent.trim() + ": " : "") + errors[name]));
      });
      item.appendChild(list);
    }
    var actions = element("p", "", { "class": "actions" });
    if (entry.state === "conflict" && entry.location) {
      actions.appendChild(element("a", say("record"), { href: entry.location }));
    }
    if (entry.state === "refused") {
      if (errors.confirm_duplicate !== undefined) {
        actions.appendChild(button(status.getAttribute("data-send-anyway") || "", function () {
          entry.fields.push(["confirm_duplicate", "on"]);
          entry.state = "waiting";
          return put(entry).then(function () { return send(); });
        }));
      }
      actions.appendChild(button(say("open"), function () { return reopen(entry); }));
    }
    actions.appendChild(button(say("discard"), function () {
      return remove(entry.id).then(render);
    }, "danger"));
    item.appendChild(actions);
    return item;
  }

  function button(label, action, kind) {
    var b = element("button", label, { type: "button", "class": kind || "" });
    b.addEventListener("click", function () { action(); });
    return b;
  }

  // Puts a refused entry back in its form to correct; sent again under the same id (the server
  // kept nothing of a refused entry).
  function reopen(entry) {
    var path = entry.page.split("?")[0];
    if (location.pathname !== path) {
      location.assign(entry.page + "#entry=" + encodeURIComponent(entry.id));
      return Promise.resolve();
    }
    var form = document.querySelector("form[data-capture][action='" + CSS.escape(entry.action) + "']") ||
      document.querySelector("form[data-capture]");
    if (!form) { return Promise.resolve(); }
    var skip = { client_id: 1, client_account: 1, captured_at: 1, check_in: 1 };
    var boxes = form.querySelectorAll("input[type=checkbox], input[type=radio]");
    Array.prototype.forEach.call(boxes, function (box) { box.checked = false; });
    entry.fields.forEach(function (f) {
      if (skip[f[0]]) { return; }
      var fields = form.querySelectorAll("[name='" + CSS.escape(f[0]) + "']");
      Array.prototype.forEach.call(fields, function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === f[1]) { field.checked = true; }
        } else if (field.type !== "hidden" || field.name !== "_csrf") {
          field.value = f[1];
        }
      });
    });
    form.setAttribute("data-editing", entry.id);
    Object.keys(entry.errors || {}).forEach(function (name) {
      var field = form.querySelector("[name='" + CSS.escape(name) + "']");
      if (field) { field.setAttribute("aria-invalid", "true"); }
    });
    return remove(entry.id).then(function () {
      var first = form.querySelector("[aria-invalid=true]") || form.querySelector("input, select, textarea");
      if (first) { first.focus(); }
      return render();
    });
  }

  // --- Sign-out: this account's queue is cleared, after a warning if anything is unsent ---------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("sign-out")) { return; }
    event.preventDefault();
    mine().then(function (entries) {
      var unsent = entries.length;
      if (unsent && !window.confirm((form.getAttribute("data-unsent") || "").replace("{n}", String(unsent)))) {
        return false;
      }
      return Promise.all(entries.map(function (e) { return remove(e.id); })).then(function () {
        return run("sent", "readwrite", function (s) { return s.delete(account); });
      }).then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage({ forget: true });
        }
        return window.caches ? caches.delete("pages") : null;
      }).then(function () { return true; });
    }).catch(function () { return true; }).then(function (go) { if (go) { form.submit(); } });
  }, true);

  // --- When to send --------------------------------------------------------------------------
  window.addEventListener("online", function () { send(); });
  window.addEventListener("offline", function () { render(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { send(); }
  });
  setInterval(function () { if (navigator.onLine) { send(); } }, 30000);
  document.addEventListener("DOMContentLoaded", function () {
    render().then(function () { return navigator.onLine ? send() : null; }).then(function () {
      var match = /#entry=([^&]+)/.exec(location.hash);
      if (!match) { return; }
      return mine().then(function (entries) {
        var entry = entries.filter(function (e) { return e.id === decodeURIComponent(match[1]); })[0];
        if (entry) { return reopen(entry); }
      });
    });
  });
})();
