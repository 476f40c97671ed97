// The annotation panel on an article's admin page (templates/admin/articles/article/annotate.html).
// A selection in the text fills the form with its offsets in the body and its words; a second
// selection, after pressing "Select the source words", fills the source words; clicking a
// highlight opens that annotation for editing. Saving is the form's own htmx post, which swaps
// the panel in place: the page stays where it was. Keys, outside text fields: C F O the kind,
// 1-5 the sourcing, Enter saves, N selects the next sentence with no annotation (the server
// lists them in #next-sentence's data-sentences, in the order to offer them). Proposed
// annotations (#proposals): J and K move to the next and previous one, A accepts the one the
// keys are on (or saves the form when it holds a proposal), R rejects it; each is its
// button's own htmx post, so the panel comes back with the next proposal ready.
// Offsets count Unicode code points, as Python's str does (not UTF-16 units, as JS strings do).
// The panel renders no labels inside the text, so the paragraphs' text is the body's text.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var TEXT = "#annotate-text";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function paragraphs() {
    return Array.prototype.slice.call(document.querySelectorAll(TEXT + " p[data-start]"));
  }

  function paragraphStart(paragraph) {
    return parseInt(paragraph.dataset.start, 10);
  }

  // Where a boundary point (node, offset) falls relative to a paragraph: -1 before, 0 in, 1 after.
  function compare(paragraph, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(paragraph);
    return range.comparePoint(node, offset);
  }

  // Offset in the body of a boundary point. A point between paragraphs (a triple click ends
  // there) snaps to the nearest paragraph edge inside the selection.
  function bodyOffset(node, offset, isStart) {
    var list = paragraphs();
    var i;
    for (i = 0; i < list.length; i += 1) {
      if (list[i].contains(node)) {
        var range = document.createRange();
        range.setStart(list[i], 0);
        range.setEnd(node, offset);
        return paragraphStart(list[i]) + codePoints(range.toString());
      }
    }
    if (isStart) {
      for (i = 0; i < list.length; i += 1) {
        if (compare(list[i], node, offset) <= 0) return paragraphStart(list[i]);
      }
    } else {
      for (i = list.length - 1; i >= 0; i -= 1) {
        if (compare(list[i], node, offset) >= 0) {
          return paragraphStart(list[i]) + codePoints(list[i].textContent);
        }
      }
    }
    return null;
  }

  // The body's words between two offsets, rebuilt from the rendered paragraphs.
  function textBetween(start, end) {
    var pieces = [];
    paragraphs().forEach(function (paragraph) {
      var chars = Array.from(paragraph.textContent);
      var from = paragraphStart(paragraph);
      var to = from + chars.length;
      if (to <= start || from >= end) return;
      pieces.push(chars.slice(Math.max(start, from) - from, Math.min(end, to) - from).join(""));
    });
    return pieces.join("\n\n");
  }

  // The current selection as a span of the body, trimmed of surrounding spaces, or null.
  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var text = document.querySelector(TEXT);
    if (!text || !text.contains(range.commonAncestorContainer)) return null;
    var start = bodyOffset(range.startContainer, range.startOffset, true);
    var end = bodyOffset(range.endContainer, range.endOffset, false);
    if (start === null || end === null || end <= start) return null;
    var chars = Array.from(textBetween(start, end));
    while (chars.length && /\s/.test(chars[0])) {
      chars.shift();
      start += 1;
    }
    while (chars.length && /\s/.test(chars[chars.length - 1])) {
      chars.pop();
      end -= 1;
    }
    if (!chars.length) return null;
    return { start: start, end: end, text: textBetween(start, end) };
  }

  function form() {
    return byId("annotation-form");
  }

  function say(message) {
    var line = byId("annotation-selection");
    if (line) line.textContent = message;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function sourceMode(on) {
    var annotationForm = form();
    var button = byId("pick-source-words");
    if (!annotationForm || !button) return;
    annotationForm.dataset.mode = on ? "source" : "statement";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) say(button.dataset.prompt || "");
  }

  // The span last taken as the source words: selectionchange events still queued for it
  // when the source-words mode ends must not fill the statement with it.
  var sourceTaken = null;

  function spanKey(span) {
    return span.start + ":" + span.end;
  }

  function onSelectionChange() {
    var annotationForm = form();
    if (!annotationForm) return;
    var span = selectedSpan();
    if (!span) return;
    if (annotationForm.dataset.mode !== "source" && sourceTaken === spanKey(span)) return;
    sourceTaken = null;
    if (annotationForm.dataset.mode === "source") {
      byId("id_annotation-source_start").value = span.start;
      byId("id_annotation-source_end").value = span.end;
      byId("id_annotation-source_words").value = span.text;
      say(fill(annotationForm.dataset.sourceSelected || "", span));
    } else {
      byId("id_annotation-start").value = span.start;
      byId("id_annotation-end").value = span.end;
      byId("id_annotation-quote").value = span.text;
      say(fill(annotationForm.dataset.selected || "", span));
    }
  }

  document.addEventListener("selectionchange", onSelectionChange);

  // A source-words selection made with the pointer is finished when the pointer lifts.
  document.addEventListener("pointerup", function (event) {
    var annotationForm = form();
    if (!annotationForm || annotationForm.dataset.mode !== "source") return;
    if (!event.target.closest || !event.target.closest(TEXT)) return;
    var span = selectedSpan();
    if (!span) return;
    onSelectionChange();
    sourceTaken = spanKey(span);
    sourceMode(false);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("#pick-source-words")) {
      var annotationForm = form();
      sourceMode(annotationForm && annotationForm.dataset.mode !== "source");
      return;
    }
    // A click on a highlight opens it, unless the click ended a selection.
    var mark = event.target.closest(TEXT + " mark.hl[data-annotations]");
    if (!mark || selectedSpan()) return;
    var keys = mark.dataset.annotations.split(" ").filter(function (key) {
      return key && key !== "pending";
    });
    // Segments list their annotations outermost first: the last is the one clicked into.
    var link = keys.length ? byId("edit-" + keys[keys.length - 1]) : null;
    if (link) link.click();
  });

  // Keyboard selection in the text, which browsers only offer with caret browsing switched
  // on: the arrow keys move an (invisible) caret and Shift with them selects; Ctrl or Alt
  // go a word at a time, Home and End to the ends of the line.
  var KEYS = {
    ArrowLeft: ["backward", "character"],
    ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"],
    ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  document.addEventListener("keydown", function (event) {
    var text = document.querySelector(TEXT);
    var step = KEYS[event.key];
    if (!text || event.target !== text || !step || event.metaKey) return;
    var selection = window.getSelection();
    if (!selection || typeof selection.modify !== "function") return;
    if (!selection.rangeCount || !text.contains(selection.focusNode)) {
      var first = text.querySelector("p[data-start]");
      if (!first) return;
      selection.collapse(first, 0);
    }
    var granularity = step[1];
    if (granularity === "character" && (event.ctrlKey || event.altKey)) granularity = "word";
    selection.modify(event.shiftKey ? "extend" : "move", step[0], granularity);
    event.preventDefault();
  });

  // Typing the words by hand: they are looked up on the server, so forget the selection.
  document.addEventListener("input", function (event) {
    var annotationForm = form();
    if (!annotationForm || !annotationForm.contains(event.target)) return;
    if (event.target.id === "id_annotation-quote") {
      byId("id_annotation-start").value = "";
      byId("id_annotation-end").value = "";
      say(annotationForm.dataset.typed || "");
    } else if (event.target.id === "id_annotation-source_words") {
      byId("id_annotation-source_start").value = "";
      byId("id_annotation-source_end").value = "";
    }
  });

  // Moving on to another field ends a keyboard selection of the source words.
  document.addEventListener("focusin", function (event) {
    var annotationForm = form();
    if (!annotationForm || annotationForm.dataset.mode !== "source") return;
    if (annotationForm.contains(event.target) && event.target.id !== "pick-source-words") {
      sourceMode(false);
    }
  });

  // Keys for the form, listed on the page (#annotate-keys-shortcuts). They never act while
  // the teacher types in a field, nor with Ctrl, Alt or Cmd (Ctrl+C still copies).
  var TYPING = /^(text|search|email|url|tel|password|number|date|datetime-local|month|time|week)$/;

  function typingIn(element) {
    if (!element || !element.tagName) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    return tag === "input" && TYPING.test(element.type || "text");
  }

  // Enter keeps its own meaning on what it already activates.
  function activates(element) {
    return !!(element && element.closest && element.closest("a[href], button, summary"));
  }

  function choiceLabel(input) {
    var label = input.labels && input.labels[0];
    var text = label && label.querySelector(".choice-label");
    return (text || label || input).textContent.trim();
  }

  // Check the choice whose key is `key` and say what was chosen.
  function choose(key) {
    var annotationForm = form();
    var badge = annotationForm && annotationForm.querySelector('[data-shortcut="' + key + '"]');
    var label = badge && badge.closest("label");
    var input = label && label.querySelector("input[type=radio]");
    if (!input) return false;
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    var legend = input.closest("fieldset").querySelector("legend");
    say(
      fill(annotationForm.dataset.chosen || "{field}: {choice}.", {
        field: legend ? legend.textContent.trim() : "",
        choice: choiceLabel(input),
      })
    );
    return true;
  }

  function save() {
    var annotationForm = form();
    var button = byId("annotation-save");
    if (!annotationForm || !button || button.disabled) return;
    if (!annotationForm.checkValidity()) {
      var missing = [];
      Array.prototype.forEach.call(annotationForm.querySelectorAll(":invalid"), function (field) {
        var fieldset = field.closest("fieldset");
        var name = fieldset
          ? fieldset.querySelector("legend").textContent
          : (field.labels && field.labels[0] ? field.labels[0].textContent : field.name);
        name = name.trim();
        if (missing.indexOf(name) === -1) missing.push(name);
      });
      say(fill(annotationForm.dataset.incomplete || "{fields}", { fields: missing.join(", ") }));
      return;
    }
    annotationForm.requestSubmit(button);
  }

  // The boundary point in the text at an offset of the body (in code points).
  function pointAt(offset, isStart) {
    var list = paragraphs();
    for (var i = 0; i < list.length; i += 1) {
      var from = paragraphStart(list[i]);
      if (offset < from || offset > from + codePoints(list[i].textContent)) continue;
      var left = offset - from;
      var walker = document.createTreeWalker(list[i], NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        var chars = Array.from(node.data);
        // A start at the end of a node belongs to the next one, an end to this one.
        if (left < chars.length || (!isStart && left === chars.length)) {
          return { node: node, offset: chars.slice(0, left).join("").length };
        }
        left -= chars.length;
      }
    }
    return null;
  }

  function sentences() {
    var offer = byId("next-sentence");
    if (!offer) return [];
    return offer.dataset.sentences
      .split(" ")
      .filter(Boolean)
      .map(function (pair) {
        var ends = pair.split(":");
        return { start: parseInt(ends[0], 10), end: parseInt(ends[1], 10) };
      });
  }

  // Select the sentence offered, or, when it is already selected, the one after it.
  function nextSentence() {
    var list = sentences();
    var annotationForm = form();
    if (!list.length || !annotationForm) return;
    var start = parseInt(byId("id_annotation-start").value, 10);
    var end = parseInt(byId("id_annotation-end").value, 10);
    var index = 0;
    list.forEach(function (span, at) {
      if (span.start === start && span.end === end) index = (at + 1) % list.length;
    });
    var span = list[index];
    var from = pointAt(span.start, true);
    var to = pointAt(span.end, false);
    if (!from || !to) return;
    sourceMode(false);
    span.text = textBetween(span.start, span.end);
    var selection = window.getSelection();
    selection.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
    byId("id_annotation-start").value = span.start;
    byId("id_annotation-end").value = span.end;
    byId("id_annotation-quote").value = span.text;
    var shown = byId("next-sentence-text");
    if (shown) shown.textContent = span.text;
    say(fill(annotationForm.dataset.selected || "", span));
    // Bring it into view only when it is out of sight, so the page does not jump.
    var box = selection.getRangeAt(0).getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      window.scrollBy(0, box.top - window.innerHeight / 3);
    }
  }

  // The proposal the keys act on: the server marks it .is-current, J and K move the mark.
  function proposalItems() {
    return Array.prototype.slice.call(document.querySelectorAll("#proposals [data-proposal]"));
  }

  function currentProposal() {
    var items = proposalItems();
    return items.filter(function (item) {
      return item.classList.contains("is-current");
    })[0] || items[0] || null;
  }

  function inView(element) {
    var box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }

  function proposalMove(step) {
    var items = proposalItems();
    var annotationForm = form();
    if (!items.length || !annotationForm) return;
    var at = (items.indexOf(currentProposal()) + step + items.length) % items.length;
    var key = items[at].dataset.proposal;
    items.forEach(function (item) {
      var current = item === items[at];
      item.classList.toggle("is-current", current);
      item.querySelectorAll("[data-proposal-key]").forEach(function (button) {
        if (current) button.setAttribute("aria-keyshortcuts", button.dataset.proposalKey);
        else button.removeAttribute("aria-keyshortcuts");
      });
    });
    var shown = null;
    document.querySelectorAll(TEXT + " mark.hl-proposal").forEach(function (mark) {
      var mine = mark.dataset.annotations.split(" ").indexOf(key) !== -1;
      mark.classList.toggle("is-current", mine);
      if (mine && !shown) shown = mark;
    });
    // Its words in the text come into view, and its entry in the list.
    if (shown && !inView(shown)) shown.scrollIntoView({ block: "center" });
    items[at].scrollIntoView({ block: "nearest" });
    var quote = items[at].querySelector("q");
    say(
      fill(annotationForm.dataset.proposalCurrent || "{number}/{count}: {quote}", {
        number: at + 1,
        count: items.length,
        quote: quote ? quote.textContent : "",
      })
    );
  }

  // A accepts (or, when the form holds this proposal, saves the form); R rejects.
  function proposalDecide(action) {
    var annotationForm = form();
    var item = currentProposal();
    if (!item) return false;
    if (action === "accept" && annotationForm.dataset.proposal === item.dataset.proposal) {
      save();
      return true;
    }
    var button = item && byId(action + "-" + item.dataset.proposal);
    if (!button || button.disabled) return false;
    button.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    var panel = byId("annotation-panel");
    var target = event.target;
    if (!panel || !form() || event.defaultPrevented || event.isComposing) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target !== document.body && !panel.contains(target)) return;
    if (typingIn(target)) return;
    var key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
    if (key === "Enter") {
      if (event.repeat || activates(target)) return;
      event.preventDefault();
      save();
    } else if (key === "N") {
      if (!byId("next-sentence")) return;
      event.preventDefault();
      nextSentence();
    } else if ((key === "J" || key === "K") && proposalItems().length) {
      event.preventDefault();
      proposalMove(key === "J" ? 1 : -1);
    } else if ((key === "A" || key === "R") && proposalItems().length) {
      if (event.repeat) return;
      event.preventDefault();
      proposalDecide(key === "A" ? "accept" : "reject");
    } else if (/^[A-Z0-9]$/.test(key) && choose(key)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("#next-sentence-select")) nextSentence();
  });

  // An edit link opens the form in place of the link's panel: focus moves to the form's title,
  // so its keys act on the form (Enter saves it) rather than on the link again, which would
  // reload the form and lose the change.
  var formOpening = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail && event.detail.elt;
    formOpening = !!(trigger && trigger.matches && trigger.matches("a[id^='edit-']"));
  });

  // The panel swapped in after a save keeps focus where it was (htmx gives it back by id), so
  // its message is said by changing the live region once it is in the page.
  document.addEventListener("htmx:afterSettle", function () {
    var title = byId("annotation-form-title");
    if (formOpening && title) {
      formOpening = false;
      title.focus();
    }
    var status = byId("annotation-status");
    if (!status || status.hasAttribute("autofocus") || !status.textContent.trim()) return;
    var message = status.textContent;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  });
})();
