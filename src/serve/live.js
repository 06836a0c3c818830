// annals serve: reload this page when the site is rebuilt; show build errors over it.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.getAttribute("data-base") : "/";
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(lines) {
    hide();
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("data-annals-overlay", "");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.94);color:#fff;overflow:auto;padding:2rem;font:14px/1.5 ui-monospace,monospace";
    var title = document.createElement("p");
    title.style.cssText = "font:bold 18px system-ui,sans-serif;margin:0 0 1rem;color:#ff8f8f";
    title.textContent = "The build failed. The last good version of the site is still served; fix these and save:";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    pre.textContent = lines.join("\n");
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }
  var source = new EventSource(base + "__annals/events");
  source.addEventListener("reload", function () { window.location.reload(); });
  // Only stylesheets changed: take their new names (they carry a hash of
  // their content) from a fresh copy of this page, without reloading it.
  source.addEventListener("css", function () {
    fetch(window.location.href, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelectorAll('link[rel="stylesheet"]');
        var links = document.querySelectorAll('link[rel="stylesheet"]');
        for (var i = 0; i < links.length && i < fresh.length; i++) {
          links[i].setAttribute("href", fresh[i].getAttribute("href"));
        }
      })
      .catch(function () { window.location.reload(); });
  });
  source.addEventListener("failed", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("ok", hide);
})();
