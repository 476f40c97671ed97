"""The development set for the attribution proposer: our own annotations of real pages.

Each `<name>.json` beside this file holds the attributions a careful editor marks in one text,
as character offsets (end exclusive) into that text, in the format `suggest_attributions`
writes. The texts themselves are not stored here: the Readability pages are the publishers'
text and stay in `../shared/corpora/readability/`; our own articles are in
`articles/demo_content/`. `text_sha256` pins each text, so an offset can never silently point
at other words. The conventions an annotator follows are in `docs/suggestions.md`.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import lxml.html

FOLDER = Path(__file__).parent
PROJECT = Path(__file__).resolve().parents[3]
CORPUS = PROJECT.parent / "shared" / "corpora" / "readability"
DEMO_CONTENT = PROJECT / "articles" / "demo_content"

# Elements whose text is a paragraph of the page's body.
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dd")


def readability_text(expected_html: str) -> str:
    """The body text of a Readability page: one paragraph per innermost block, whitespace
    collapsed, paragraphs separated by a blank line."""
    root = lxml.html.fromstring(expected_html)
    paragraphs = []
    for element in root.iter(*BLOCKS):
        if next(element.iterdescendants(*BLOCKS), None) is not None:
            continue
        text = " ".join(element.text_content().split())
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DevPage:
    name: str
    origin: str  # "readability" or "demo"
    text: str | None  # None when the corpus is absent on this machine
    attributions: list[dict]
    sha256: str


def page_text(name: str, origin: str) -> str | None:
    """The text a dev-set page's offsets point into, or None when it is not on this machine."""
    if origin == "readability":
        path = CORPUS / name / "expected.html"
        if not path.is_file():
            return None
        return readability_text(path.read_text(encoding="utf-8"))
    return (DEMO_CONTENT / f"{name}.txt").read_text(encoding="utf-8")


def dev_pages() -> list[DevPage]:
    pages = []
    for path in sorted(FOLDER.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        pages.append(
            DevPage(
                name=data["id"],
                origin=data["origin"],
                text=page_text(data["id"], data["origin"]),
                attributions=data["attributions"],
                sha256=data["text_sha256"],
            )
        )
    return pages
