// The service worker (served at /sw.js, after VERSION, ASSETS and OFFLINE, which the server writes).
// It keeps the styles and scripts, and the capture pages the signed-in person has opened (the
// pages carry their vocabularies: every list of choices is in the page), so those open with no
// connection. Everything else goes to the network as it always did.
"use strict";

var STATIC = "static-" + VERSION;
// The signed-in account's pages; emptied when another account signs in or at sign-out.
var PAGES = "pages";
var ACCOUNT_KEY = "/__account";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC).then(function (cache) { return cache.addAll(ASSETS.concat([OFFLINE])); })
      .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("static-") === 0 && key !== STATIC;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

// A capture page is kept once per path: the tally's "?saved=…" is the same form.
function keep(url, response) {
  if (!response.ok || response.headers.get("X-Bearing-Offline") !== "capture") { return Promise.resolve(); }
  if (url.search.indexOf("saved=") >= 0) { return Promise.resolve(); }
  return caches.open(PAGES).then(function (cache) { return cache.put(url.pathname, response); });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.account) {
    // Pages kept for another account are not shown to this one.
    event.waitUntil(caches.open(PAGES).then(function (cache) {
      return cache.match(ACCOUNT_KEY).then(function (hit) { return hit ? hit.text() : ""; }).then(function (owner) {
        if (owner === data.account) { return null; }
        return caches.delete(PAGES).then(function () { return caches.open(PAGES); }).then(function (fresh) {
          return fresh.put(ACCOUNT_KEY, new Response(data.account));
        });
      });
    }).then(function () {
      // The first visit came before the worker: keep the page now.
      if (!data.keep) { return null; }
      var url = new URL(data.keep, self.location.origin);
      return fetch(url.href, { credentials: "same-origin" }).then(function (r) { return keep(url, r); });
    }).catch(function () {}));
  }
  if (data.forget) { event.waitUntil(caches.delete(PAGES)); }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/assets/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  // The network first (the page as it is now), the kept copy when there is none.
  event.respondWith(fetch(request).then(function (response) {
    event.waitUntil(keep(url, response.clone()));
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(url.pathname); }).then(function (hit) {
      return hit || caches.match(OFFLINE);
    }).then(function (hit) { return hit || Response.error(); });
  }));
});
