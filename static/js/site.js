// Every page: when an htmx request fails (the server errs, or cannot be reached), say so in
// the page's alert line instead of leaving the click without visible effect. The messages
// come from the page (translated there); the next request clears them.
(function () {
  "use strict";

  function line() {
    return document.getElementById("request-error");
  }

  function say(key) {
    var element = line();
    if (!element) return;
    element.textContent = element.dataset[key] || "";
    element.hidden = false;
  }

  document.addEventListener("htmx:responseError", function () {
    say("server");
  });
  document.addEventListener("htmx:sendError", function () {
    say("offline");
  });
  document.addEventListener("htmx:timeout", function () {
    say("offline");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var element = line();
    if (element && !element.hidden) {
      element.hidden = true;
      element.textContent = "";
    }
  });
})();
