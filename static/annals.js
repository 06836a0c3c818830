// annals: small enhancements; every page works without this script.
(function () {
  "use strict";
  // Opened from disk, a link to a folder shows a file listing instead of its
  // page: point such links at the folder's index.html.
  if (window.location.protocol === "file:") {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^[#/]/.test(href)) {
        var cut = href.search(/[?#]/);
        var path = cut < 0 ? href : href.slice(0, cut);
        var rest = cut < 0 ? "" : href.slice(cut);
        if (path === "" || /\/$/.test(path)) {
          links[i].setAttribute("href", path + "index.html" + rest);
        }
      }
    }
  }
})();
