// The annotation panel on an article's admin page (templates/admin/articles/article/annotate.html).
// A selection in the text fills the form with its offsets in the body and its words; a second
// selection, after pressing "Select the source words", fills the source words; clicking a
// highlight opens that annotation for editing. Saving is the form's own htmx post.
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
})();
