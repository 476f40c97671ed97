// Evidence questions: turn a text selection in the article into character offsets.
// Offsets count Unicode code points, as the server does (not UTF-16 units, as JS strings do).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function codePoints(text) {
    return Array.from(text).length;
  }

  // Offset in the body of (node, offset) inside a paragraph rendered with data-start.
  function bodyOffset(node, offset) {
    var element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    var paragraph = element && element.closest(".article-body p[data-start]");
    if (!paragraph) return null;
    var walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    var count = 0;
    var current;
    if (node.nodeType !== Node.TEXT_NODE) {
      // A boundary between child nodes: count the text of the children before it.
      var range = document.createRange();
      range.setStart(paragraph, 0);
      range.setEnd(node, offset);
      return parseInt(paragraph.dataset.start, 10) + codePoints(range.toString());
    }
    while ((current = walker.nextNode())) {
      if (current === node) {
        return parseInt(paragraph.dataset.start, 10) + count + codePoints(current.data.slice(0, offset));
      }
      count += codePoints(current.data);
    }
    return null;
  }

  function onSelection() {
    var form = document.querySelector(".evidence-form");
    if (!form) return;
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    var start = bodyOffset(range.startContainer, range.startOffset);
    var end = bodyOffset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    form.querySelector("input[name=start]").value = start;
    form.querySelector("input[name=end]").value = end;
    var option = form.querySelector(".selection-choice");
    option.hidden = false;
    option.querySelector(".selection-text").textContent = selection.toString().trim();
    option.querySelector("input[type=radio]").checked = true;
  }

  document.addEventListener("mouseup", onSelection);
  document.addEventListener("touchend", onSelection);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) onSelection();
  });

  // With a mouse or a finger the student selects; the phrases are the fallback, offered on
  // request. A hidden required radio would block the form without a word, so the server is
  // the one to say "select some words first".
  function evidenceFormReady(root) {
    root.querySelectorAll(".evidence-form input[name=choice]").forEach(function (input) {
      input.required = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { evidenceFormReady(document); });
  document.addEventListener("htmx:load", function (event) { evidenceFormReady(event.detail.elt); });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".phrase-toggle");
    if (!toggle) return;
    var phrases = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    phrases.classList.toggle("is-open", open);
  });

  // After feedback arrives, bring the highlighted evidence into view. Side by side, the
  // question card is sticky beside the article; on a phone it is a panel on top of the page,
  // so the evidence goes just below it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var card = document.getElementById("question-card");
    var target = event.detail.target;
    if (!card || !card.querySelector("#feedback") || !target || target.id !== "question-card") return;
    var evidence = document.querySelector(".article-body mark.hl-source") ||
      document.querySelector(".article-body mark.hl-statement");
    if (!evidence) return;
    if (window.matchMedia("(min-width: 60rem)").matches) {
      evidence.scrollIntoView({ block: "center" });
      return;
    }
    var below = card.getBoundingClientRect().height + 16;
    window.scrollTo({ top: window.scrollY + evidence.getBoundingClientRect().top - below });
  });

  // Picking a phrase instead of the selection: the phrase is the answer, not the offsets.
  document.addEventListener("change", function (event) {
    var form = event.target.closest(".evidence-form");
    if (!form || event.target.name !== "choice") return;
    if (event.target.value !== "") {
      form.querySelector("input[name=start]").value = "";
      form.querySelector("input[name=end]").value = "";
    }
  });
})();
