from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.rendering import Highlight, body_paragraphs, paragraph_spans


def paragraph_html(paragraph, *, id_prefix="", oob=False):
    context = {"paragraph": paragraph, "paragraph_ids": id_prefix, "oob": oob}
    return render_to_string("articles/_body.html#paragraph", context)


def body_html(paragraphs, *, id_prefix=""):
    context = {"paragraphs": paragraphs, "paragraph_ids": id_prefix}
    return render_to_string("articles/_body.html", context)


def texts(paragraph):
    return [(segment.text, segment.keys) for segment in paragraph.segments]


def test_paragraphs_are_split_on_blank_lines_with_offsets_into_the_body():
    body = "First one.\n\nSecond one.\n\n\n\nThird."

    spans = paragraph_spans(body)

    assert [body[start:end] for start, end in spans] == ["First one.", "Second one.", "Third."]


def test_overlapping_highlights_are_cut_into_segments():
    body = "Alpha beta gamma delta"
    outer = Highlight(start=0, end=16, key="a1")
    inner = Highlight(start=6, end=22, key="a2")

    (paragraph,) = body_paragraphs(body, [outer, inner])

    assert texts(paragraph) == [("Alpha ", "a1"), ("beta gamma", "a1 a2"), (" delta", "a2")]
    assert paragraph.segments[1].css == "overlap"


def test_nested_highlights_mark_where_each_one_ends():
    body = "He said that it was over."
    outer = Highlight(start=0, end=25, key="a1", label="1")
    inner = Highlight(start=13, end=24, key="a2", label="2")

    (paragraph,) = body_paragraphs(body, [inner, outer])

    assert texts(paragraph) == [
        ("He said that ", "a1"),
        ("it was over", "a1 a2"),
        (".", "a1"),
    ]
    assert [h.key for h in paragraph.segments[1].ends] == ["a2"]
    assert [h.key for h in paragraph.segments[2].ends] == ["a1"]


def test_a_highlight_across_paragraphs_is_shown_in_both():
    body = "One two.\n\nThree four."
    both = Highlight(start=4, end=15, key="a1")

    first, second = body_paragraphs(body, [both])

    assert texts(first) == [("One ", ""), ("two.", "a1")]
    assert texts(second) == [("Three", "a1"), (" four.", "")]


def test_highlights_outside_the_body_are_ignored():
    body = "Short."

    (paragraph,) = body_paragraphs(body, [Highlight(start=3, end=50, key="a1")])

    assert texts(paragraph) == [("Short.", "")]


def test_segments_rebuild_the_body_exactly():
    body = "“Quote,” she said — café 😀.\n\nNext."
    highlights = [Highlight(start=1, end=7, key="a1"), Highlight(start=0, end=17, key="a2")]

    paragraphs = body_paragraphs(body, highlights)

    assert "\n\n".join("".join(s.text for s in p.segments) for p in paragraphs) == body


# The HTML, drawn by templates/articles/_body.html and its paragraph partial


def test_text_and_attribute_values_are_escaped():
    body = "Say <b>\"hi\"</b> & 'bye'"
    odd = Highlight(
        start=4,
        end=15,
        key="a<1>",
        css='kind-"x"',
        label="<1>",
        data=(("speaker", 'O\'Brien & <Co> "Ltd"'),),
    )

    (paragraph,) = body_paragraphs(body, [odd])

    assert paragraph_html(paragraph) == (
        '<p data-start="0">Say '
        '<mark class="hl kind-&quot;x&quot;" data-annotations="a&lt;1&gt;"'
        ' data-speaker="O&#x27;Brien &amp; &lt;Co&gt; &quot;Ltd&quot;">'
        "&lt;b&gt;&quot;hi&quot;&lt;/b&gt;</mark>"
        '<sup class="hl-label"><a href="#note-a&lt;1&gt;" id="ref-a&lt;1&gt;">&lt;1&gt;</a></sup>'
        " &amp; &#x27;bye&#x27;</p>"
    )


def test_a_label_marked_safe_is_not_escaped_again():
    body = "One two."
    (paragraph,) = body_paragraphs(
        body, [Highlight(start=0, end=3, key="a1", label=mark_safe("<b>1</b>"))]
    )

    assert '<a href="#note-a1" id="ref-a1"><b>1</b></a>' in paragraph_html(paragraph)


def test_nested_marks_carry_data_attributes_only_where_one_highlight_covers_them():
    body = "He said that it was over."
    outer = Highlight(
        start=0, end=25, key="a1", css="kind-claim", label="1", data=(("kind", "claim"),)
    )
    inner = Highlight(
        start=13, end=24, key="a2", css="kind-fact", label="2", data=(("kind", "fact"),)
    )

    (paragraph,) = body_paragraphs(body, [inner, outer])

    assert paragraph_html(paragraph) == (
        '<p data-start="0">'
        '<mark class="hl kind-claim" data-annotations="a1" data-kind="claim">He said that </mark>'
        '<mark class="hl kind-claim kind-fact overlap" data-annotations="a1 a2">it was over</mark>'
        '<sup class="hl-label"><a href="#note-a2" id="ref-a2">2</a></sup>'
        '<mark class="hl kind-claim" data-annotations="a1" data-kind="claim">.</mark>'
        '<sup class="hl-label"><a href="#note-a1" id="ref-a1">1</a></sup>'
        "</p>"
    )


def test_paragraphs_get_ids_from_the_prefix_and_can_be_swapped_out_of_band():
    body = "First.\n\nSecond."

    first, second = body_paragraphs(body)

    assert paragraph_html(first) == '<p data-start="0">First.</p>'
    assert paragraph_html(second, id_prefix="para-") == (
        '<p id="para-8" data-start="8">Second.</p>'
    )
    assert paragraph_html(second, id_prefix="para-", oob=True) == (
        '<p id="para-8" data-start="8" hx-swap-oob="true">Second.</p>'
    )


def test_body_puts_each_paragraph_on_a_line_of_its_own():
    paragraphs = body_paragraphs("First.\n\nSecond.")

    assert body_html(paragraphs, id_prefix="p-") == (
        '<div class="article-body">\n'
        '<p id="p-0" data-start="0">First.</p>\n'
        '<p id="p-8" data-start="8">Second.</p>\n'
        "</div>\n"
    )


def test_body_draws_each_paragraph_as_the_paragraph_partial_does():
    body = "One <two>.\n\nThree & four."
    paragraphs = body_paragraphs(body, [Highlight(start=4, end=15, key="a1", label="1")])

    page = body_html(paragraphs, id_prefix="p-")

    assert page == (
        '<div class="article-body">\n'
        + "\n".join(paragraph_html(p, id_prefix="p-") for p in paragraphs)
        + "\n</div>\n"
    )
    assert '<mark class="hl " data-annotations="a1">&lt;two&gt;.</mark>' in page


def test_paragraph_offsets_are_never_localized(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    body = "x" * 1500 + "\n\nLater."

    (_, later) = body_paragraphs(body)

    assert paragraph_html(later, id_prefix="p-") == '<p id="p-1502" data-start="1502">Later.</p>'
