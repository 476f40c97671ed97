"""Measure how clean an imported body is on the saved news pages of the Readability corpus.

    python bench/import_quality.py [CORPUS_FOLDER] [--lines]

For each page (source.html, with expected.html as the reference body) it prints:

- precision and recall of the body by words: our body and the text of expected.html are cut
  into case-folded words (\\w+), counted as multisets; precision is the share of our words
  that are in the reference, recall the share of the reference's words that are in ours.
  Totals are summed over all pages (not a mean of ratios), so a long page weighs more.
- article recall: recall against the reference's lines that are not chrome by the rules
  below. The reference itself keeps some furniture (the Guardian's photo captions, subheads,
  CNN's "Related:" links), so dropping it lowers the plain recall but not this one.
- chrome lines: paragraphs of our body that are page furniture rather than the article,
  recognised here independently of the import's own rules:
    caption   the text of a <figcaption>, of an element whose class or itemprop says caption,
              of an image's alt text, or of a short block (not a paragraph) right after
              a <figure>
    subhead   the text of an <h2>-<h6> on the page, of at most 12 words
    link      a paragraph that is one link and nothing else ("Read the full transcript")
    furniture a dateline, "From the section …", a comment or share counter, "Continue
              reading…", "READ MORE", "Related: …", a photo credit, slide-show controls
- other: paragraphs of ours with fewer than half of their words in the reference and not
  counted above, which shows boilerplate these detectors do not know.

--lines lists every chrome and other paragraph under its page. The corpus defaults to
../shared/corpora/readability next to the project.
"""

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "readability"
SUBHEAD_MAX_WORDS = 12
CHROME_KINDS = ("caption", "subhead", "link", "furniture")

FURNITURE = re.compile(
    r"""^(?:
        (?:published|updated|posted|last\ updated)?:?\s*
            (?:\w+day,?\s+)?\d{1,2}\s+\w+\s+\d{4}(?:,?\s+\d{1,2}[:.]\d{2}\s*\w*)?
        | (?:\w+day,?\s+)?\w+\s+\d{1,2},\s+\d{4}(?:,?\s+\d{1,2}[:.]\d{2}\s*[ap]\.?m\.?)?
        | from\ the\ section\b.*
        | (?:topics|tags|filed\ under|section)\s*:.*
        | \d[\d,.]*\s*(?:comments?|shares?|replies|reactions)
        | (?:comments?|share|tweet|email|print|loading\ comments\W*)
        | share\ (?:on|this|via)\b.*
        | continue\ reading\b.*
        | story\ continues\ below.*
        | advertisement
        | read\ more\b.*
        | related\s*:.*
        | \[.*\]
        | (?:photograph|photo|image|picture)(?:\ copyright|\ caption)?\s*:.*
        | \(?(?:ap|afp|reuters|getty)\ ?(?:photo|images)\b.*
        | \d+\ of\ \d+
        | (?:close|fullscreen|thumbnails|previous|next)
        | you\ might\ also\ like | featured\ slide\ shows | recent\ slide\ shows
        | related\ videos | most\ (?:read|popular|viewed)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def django_setup() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def key(text: str) -> str:
    """Fold a line for comparison: one space, no case, no closing full stop."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).rstrip(" .")


def page_text(data: bytes) -> str:
    """Decode a saved page (the corpus is UTF-8 but for one Windows-1252 page)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def page_texts(source: lxml.html.HtmlElement) -> dict[str, set[str]]:
    """Texts on the page that, printed as a paragraph, are captions, subheads or links."""
    found: dict[str, set[str]] = {"caption": set(), "subhead": set(), "link": set()}
    for element in source.iter():
        if not isinstance(element.tag, str):
            continue
        marks = f"{element.get('class', '')} {element.get('itemprop', '')}".casefold()
        if element.tag == "figcaption" or ("caption" in marks and element.tag != "figure"):
            found["caption"].add(key(element.text_content()))
        elif element.tag == "img" and element.get("alt"):
            found["caption"].add(key(element.get("alt")))
        if element.tag == "figure":
            # A caption some sites print as a list or box after the picture; a paragraph
            # there is the article going on.
            following = element.getnext()
            if (
                following is not None
                and following.tag not in {"p", "figure", "blockquote", "h2", "h3", "h4"}
                and len(key(following.text_content())) <= 600
            ):
                found["caption"].add(key(following.text_content()))
        elif element.tag in {"h2", "h3", "h4", "h5", "h6"}:
            # A long "heading" is a lede set in a heading tag: article text, not a subhead.
            if len(element.text_content().split()) <= SUBHEAD_MAX_WORDS:
                found["subhead"].add(key(element.text_content()))
        elif element.tag == "a":
            parent = element.getparent()
            if parent is not None and key(parent.text_content()) == key(element.text_content()):
                found["link"].add(key(element.text_content()))
    found["caption"].discard("")
    return found


BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "section",
    "article",
    "br",
    "pre",
}


def text_lines(root: lxml.html.HtmlElement) -> list[str]:
    """Cut a page's text into its block-level lines."""
    lines: list[str] = []
    pieces: list[str] = []

    def close() -> None:
        line = " ".join("".join(pieces).split())
        pieces.clear()
        if line:
            lines.append(line)

    def walk(element) -> None:
        block = isinstance(element.tag, str) and element.tag in BLOCK_TAGS
        if block:
            close()
        if isinstance(element.tag, str) and element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
        if block:
            close()
        if element.tail:
            pieces.append(element.tail)

    walk(root)
    close()
    return lines


def chrome_kind(line: str, texts: dict[str, set[str]]) -> str:
    folded = key(line)
    for kind in ("caption", "subhead", "link"):
        if folded in texts[kind]:
            return kind
    if FURNITURE.match(" ".join(line.split())):
        return "furniture"
    return ""


def page_measure(page: Path) -> Counter:
    """Count one page's words and lines: ours, the reference's, in common, chrome, other.

    The counter also holds, under "lines:<kind>", each chrome or other line found.
    """
    from articles.importing import article_extract

    data = (page / "source.html").read_bytes()
    body = article_extract(data=data, filename="source.html").body
    expected = lxml.html.fromstring((page / "expected.html").read_text("utf-8"))
    expected_words = Counter(words(expected.text_content()))
    ours = Counter(words(body))
    texts = page_texts(lxml.html.fromstring(page_text(data)))
    # The reference keeps some furniture (the Guardian's captions, subheads, CNN's
    # "Related:" links); recall against its other lines is the article's text found.
    article_words = Counter(
        word
        for line in text_lines(expected)
        if not chrome_kind(line, texts)
        for word in words(line)
    )
    lines = body.split("\n\n")
    counts = Counter(
        ours=sum(ours.values()),
        expected=sum(expected_words.values()),
        common=sum((ours & expected_words).values()),
        article=sum(article_words.values()),
        article_common=sum((ours & article_words).values()),
        lines=len(lines),
    )
    for line in lines:
        kind = chrome_kind(line, texts)
        if kind:
            counts.update(["chrome", kind, f"lines:{kind}:{line}"])
            continue
        line_words = Counter(words(line))
        if sum((line_words & expected_words).values()) * 2 < sum(line_words.values()):
            counts.update(["other", f"lines:other:{line}"])
    return counts


def figures(counts: Counter) -> tuple[float, float, float]:
    """Return precision, recall and article recall from page_measure's counts."""
    return (
        counts["common"] / max(counts["ours"], 1),
        counts["common"] / max(counts["expected"], 1),
        counts["article_common"] / max(counts["article"], 1),
    )


def corpus_pages(folder: Path) -> list[Path]:
    return sorted(page for page in folder.iterdir() if (page / "source.html").is_file())


def measure(folder: Path, show_lines: bool) -> None:
    totals = Counter()
    print(
        f"{'page':15} {'precision':>9} {'recall':>6} {'article':>7} {'lines':>5} {'chrome':>6}"
        f" {'other':>5}"
    )
    for page in corpus_pages(folder):
        counts = page_measure(page)
        precision, recall, article_recall = figures(counts)
        print(
            f"{page.name:15} {precision:9.3f} {recall:6.3f} {article_recall:7.3f}"
            f" {counts['lines']:5} {counts['chrome']:6} {counts['other']:5}"
        )
        if show_lines:
            for name in counts:
                if name.startswith("lines:"):
                    _prefix, kind, line = name.split(":", 2)
                    print(f"    {kind:9} {line[:90]}")
        totals.update({name: count for name, count in counts.items() if ":" not in name})
    precision, recall, article_recall = figures(totals)
    print(
        f"{'total':15} {precision:9.3f} {recall:6.3f} {article_recall:7.3f}"
        f" {totals['lines']:5} {totals['chrome']:6} {totals['other']:5}"
    )
    kinds = ", ".join(f"{kind} {totals[kind]}" for kind in CHROME_KINDS)
    print(f"chrome lines by kind: {kinds}")


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    django_setup()
    measure(Path(arguments[0]) if arguments else CORPUS, "--lines" in sys.argv)
