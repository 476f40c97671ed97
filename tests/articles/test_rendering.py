from articles.rendering import Highlight, body_paragraphs, paragraph_spans


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
