// Every page: when an htmx request fails (the server errs, or cannot be reached), say so in
// the page's alert line instead of leaving the click without visible effect. The messages
// come from the page (translated there), except a 503's: the server says in one plain-text
// sentence what it could not do (an answer not saved: send it again). The next request clears
// them.
(function () {
  "use strict";

  function line() {
    return document.getElementById("request-error");
  }

  function show(text) {
    var element = line();
    if (!element) return;
    element.textContent = text;
    element.hidden = false;
  }

  function say(key) {
    var element = line();
    if (element) show(element.dataset[key] || "");
  }

  // The words of a 503 from Sourcewise itself (config.views.server_error), or nothing.
  function unavailableText(xhr) {
    if (!xhr || xhr.status !== 503) return "";
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/plain") !== 0) return "";
    return (xhr.responseText || "").trim().slice(0, 300);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var text = unavailableText(event.detail && event.detail.xhr);
    if (text) {
      show(text);
    } else {
      say("server");
    }
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

// The time zone this computer is set to: sent with the login form (a teacher who has not
// chosen one starts with it), and offered on the time zone page.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
      input.value = zone;
    });
    document.querySelectorAll("[data-use-browser-zone]").forEach(function (button) {
      var select = document.getElementsByName(button.dataset.useBrowserZone)[0];
      var known = select && Array.prototype.some.call(select.options, function (option) {
        return option.value === zone;
      });
      if (!known) return;
      button.textContent += " (" + zone.replace(/_/g, " ") + ")";
      button.hidden = false;
      button.addEventListener("click", function () {
        select.value = zone;
        select.focus();
      });
    });
  });
})();
