"""Turn an uploaded text file or saved web page into an article.

`article_extract` reads the file and finds the article in it without touching the database;
`article_import` saves what it found. Both raise ValidationError with a message a teacher can
act on, and a failed import leaves no row behind.
"""

import codecs
import datetime
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import trafilatura
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml.etree import LxmlError, XPath
from lxml.html import HtmlElement

from articles.models import Article, Outlet

MAX_IMPORT_BYTES = 5 * 1024 * 1024
TEXT_EXTENSIONS = (".txt",)
HTML_EXTENSIONS = (".html", ".htm")
# Less body text than this is a teaser, a cookie notice or a page of links, not an article.
MIN_ARTICLE_CHARS = 200
# A text file may hold the odd form feed or escape; more control bytes than this means binary.
MAX_CONTROL_SHARE = 0.05
# The HTML standard looks for <meta charset> in the first 1024 bytes; saved pages often carry
# a long <head> of scripts before it, so look a little further.
CHARSET_SCAN_BYTES = 8192

_TITLE_MAX = Article._meta.get_field("title").max_length
_BYLINE_MAX = Article._meta.get_field("byline").max_length
_SLUG_MAX = Article._meta.get_field("slug").max_length
_URL_MAX = Article._meta.get_field("source_url").max_length
_LANGUAGE_MAX = Article._meta.get_field("language").max_length
_OUTLET_MAX = Outlet._meta.get_field("name").max_length
DEFAULT_LANGUAGE = Article._meta.get_field("language").default

# JSON nested deeper than this is no article metadata and no annotation (a W3C annotation
# collection is about eight levels deep); deeper still, 100,000 "[", exhausts the parser's stack.
MAX_JSON_DEPTH = 64

# Bytes that never occur in text, apart from tab, line feed, vertical tab, form feed and
# carriage return.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
# XHTML pages may state it in an XML declaration instead.
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# Separators between a headline and the site or section name in a <title> or og:title.
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " \u00bb ")
_BYLINE_PREFIX = re.compile(r"^(?:by|par|por)\b[:\s]*", re.IGNORECASE)
_CDATA = re.compile(r"^(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>$")
_BYLINE_ELEMENTS = XPath(
    "//*[contains(translate(@class, 'BYLINE', 'byline'), 'byline')"
    " or @rel='author' or @itemprop='author']"
)
# Placeholders some sites leave where a name should be (a logged-out account menu, a CMS default).
_NOT_A_BYLINE = {"username", "user name", "admin", "administrator", "author", "unknown", "none"}

# Well-known outlets as their readers write them, by the folded forms their pages give in
# og:site_name or app metadata (see _outlet_key): "NYTimes", "nytimes.com", "the Guardian".
KNOWN_OUTLETS = {
    key: name
    for name, keys in {
        "The New York Times": ["nytimes", "newyorktimes"],
        "The Washington Post": ["washingtonpost", "wapo"],
        "The Wall Street Journal": ["wsj", "wallstreetjournal"],
        "Los Angeles Times": ["latimes", "losangelestimes"],
        "USA Today": ["usatoday"],
        "The Guardian": ["guardian", "theguardian"],
        "The Telegraph": ["telegraph"],
        "The Times": ["times", "thetimes"],
        "Financial Times": ["ft", "financialtimes"],
        "The Independent": ["independent"],
        "BBC News": ["bbcnews", "bbc"],
        "Herald Sun": ["heraldsun"],
        "Salon": ["salon"],
        "Libération": ["liberation"],
        "Le Monde": ["lemonde"],
        "Folha de S.Paulo": ["folha", "folhadespaulo", "folhauol"],
        "Reuters": ["reuters"],
        "Associated Press": ["ap", "apnews", "associatedpress"],
        "NPR": ["npr"],
        "Al Jazeera": ["aljazeera"],
        "CNN": ["cnn"],
        "Fox News": ["foxnews"],
        "NBC News": ["nbcnews"],
        "The Atlantic": ["atlantic", "theatlantic"],
        "Ars Technica": ["arstechnica"],
        "The Verge": ["verge", "theverge"],
        "Breitbart": ["breitbart"],
        "The Seattle Times": ["seattletimes"],
    }.items()
    for key in keys
}

# Bounds on a page's shape, checked on the parsed page before trafilatura sees it. Its
# extraction grows faster than the page: with thousands of inline elements in one paragraph
# it is quadratic (20,000 <span>s in one <p> took 4.6 s, 100,000 took two minutes), and a
# 5 MB page of 160,000 <div>s took 23 s. The 18 real news pages of the test corpus have at
# most 2,100 elements, 170 children under one element and 0.1 MB of text outside scripts;
# these limits leave room for seven times that and keep any page under about 2 s.
MAX_PAGE_ELEMENTS = 15_000
MAX_CHILDREN = 1_000
MAX_PAGE_TEXT_CHARS = 1_000_000
# Elements whose text no reader sees.
_HIDDEN_TEXT_TAGS = {"script", "style", "template", "noscript"}

# Paragraph-level elements in trafilatura's XML; everything else is inline inside one of them.
_BLOCK_TAGS = {"p", "head", "item", "quote", "code", "row", "list", "table", "div", "lb"}

# The import tells the teacher itself when a page has no article; trafilatura's own
# "discarding data" warnings for such pages would only be noise in the server log.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractedArticle:
    """What was found in an uploaded file, ready to become an Article."""

    title: str
    standfirst: str
    byline: str
    outlet_name: str
    published_on: datetime.date | None
    language: str
    body: str
    source_url: str


def article_extract(*, data: bytes, filename: str, url: str = "") -> ExtractedArticle:
    """Find the title, metadata and plain-text body in a .txt file or a saved web page."""
    extension = PurePath(filename).suffix.lower()
    if extension not in TEXT_EXTENSIONS + HTML_EXTENSIONS:
        raise ValidationError(
            _(
                "“%(name)s” is not a file Sourcewise can import. Upload a plain-text file (.txt) "
                "or a web page saved from the browser (.html or .htm)."
            )
            % {"name": PurePath(filename).name or filename},
            code="extension",
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(size_error_message(len(data)), code="too_large")
    _check_not_binary(data)
    url = _clean_given_url(url)
    if extension in TEXT_EXTENSIONS:
        return _extract_from_text(_decode_text(data), url=url)
    return _extract_from_html(_decode_html(data), url=url)


def size_error_message(size: int) -> str:
    """Return the message for a file over the import limit."""
    return _(
        "This file is %(size).1f MB; the limit is %(limit)d MB. A news article is far smaller: "
        "save only the article's page, without images, or paste its text into a .txt file."
    ) % {"size": size / (1024 * 1024), "limit": MAX_IMPORT_BYTES // (1024 * 1024)}


@transaction.atomic
def article_import(
    *,
    data: bytes,
    filename: str,
    owner,
    url: str = "",
    status: str = Article.Status.DRAFT,
) -> Article:
    """Create an article (and its outlet, if new) from an uploaded file."""
    extracted = article_extract(data=data, filename=filename, url=url)
    outlet = _outlet_get_or_create(name=extracted.outlet_name) if extracted.outlet_name else None
    article = Article(
        title=extracted.title,
        standfirst=extracted.standfirst,
        outlet=outlet,
        byline=extracted.byline,
        published_on=extracted.published_on,
        source_url=extracted.source_url,
        language=extracted.language,
        body=extracted.body,
        owner=owner,
        status=status,
    )
    taken = set(
        Article.objects.filter(
            slug__startswith=_slug_base(extracted.title)[: _SLUG_MAX - 8]
        ).values_list("slug", flat=True)
    )
    # Another import may take the same slug between our check and our insert: try the next.
    for _attempt in range(5):
        article.slug = _slug_unique(extracted.title, taken)
        article.full_clean()
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError:
            if not Article.objects.filter(slug=article.slug).exists():
                raise
            taken.add(article.slug)
            continue
        return article
    raise ValidationError(
        _("Could not find a free web address for this title; try again in a moment."),
        code="slug",
    )


def _outlet_get_or_create(*, name: str) -> Outlet:
    # "The Guardian" and "the Guardian" are one outlet, however a page spells it.
    outlet = Outlet.objects.filter(name__iexact=name).first()
    if outlet is not None:
        return outlet
    outlet = Outlet(name=name)
    outlet.full_clean()
    try:
        with transaction.atomic():
            outlet.save()
    except IntegrityError:
        # A simultaneous import of the same outlet's page created it first.
        return Outlet.objects.get(name=name)
    return outlet


def _slug_base(title: str) -> str:
    return slugify(title)[:_SLUG_MAX].strip("-") or "article"


def _slug_unique(title: str, taken: set[str]) -> str:
    base = _slug_base(title)
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: _SLUG_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


# Reading bytes -------------------------------------------------------------------------


def _check_not_binary(data: bytes) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(
            _("This file is UTF-16 text. Save it as UTF-8 and try again."), code="encoding"
        )
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or control > MAX_CONTROL_SHARE * len(data):
        raise ValidationError(
            _(
                "This file is not text (it looks like a document, an image or a program). "
                "Upload a plain-text file (.txt) or a web page saved as HTML."
            ),
            code="binary",
        )


def json_parse(text: str) -> Any:
    """Return the JSON value in text; ValueError saying why for anything unfit to keep.

    json.JSONDecodeError (a ValueError) for broken JSON; ValueError for JSON nested deeper than
    MAX_JSON_DEPTH or holding a lone surrogate ("\\ud800"), which json.loads accepts but no
    database can store.
    """
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise ValueError(_json_depth_message()) from exc
    json_value_check(data)
    return data


def json_value_check(data: Any) -> None:
    """Raise ValueError if data is nested deeper than MAX_JSON_DEPTH or holds a lone surrogate."""
    # A loop, not recursion: checking the depth must not itself exhaust the stack.
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_encodable(value)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            raise ValueError(_json_depth_message())
        if isinstance(value, dict):
            for key, item in value.items():
                _check_encodable(key)
                pending.append((item, depth + 1))
        else:
            pending.extend((item, depth + 1) for item in value)


def _json_depth_message() -> str:
    return _("it is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}


def _check_encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            _("it holds %(escape)s, half of a character (a lone surrogate), which is not text.")
            % {"escape": f"\\u{ord(exc.object[exc.start]):04x}"}
        ) from exc


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("This file is not UTF-8 text. Save it as UTF-8 and try again."), code="encoding"
        ) from exc


def _decode_html(data: bytes) -> str:
    declared = _declared_encoding(data)
    if declared is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _(
                    "This page is not UTF-8 and does not say which encoding it uses. Save it "
                    "again from the browser as “Web page, HTML only”, or save its text as "
                    "UTF-8 in a .txt file."
                ),
                code="encoding",
            ) from exc
    label, codec = declared
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "cp1252":
            # Browsers show the five bytes Windows-1252 leaves undefined as control characters.
            return data.decode("latin-1")
        raise ValidationError(
            _(
                "This page says its text is %(encoding)s, but it is not. Save it again from "
                "the browser, or save its text as UTF-8 in a .txt file."
            )
            % {"encoding": label},
            code="encoding",
        ) from exc


def _declared_encoding(data: bytes) -> tuple[str, str] | None:
    """Return the page's declared charset and the codec to read it with, if Python knows it."""
    if data.startswith(codecs.BOM_UTF8):
        return None  # a byte-order mark outranks any declaration, as in browsers
    match = _XML_ENCODING.match(data) or _META_CHARSET.search(data[:CHARSET_SCAN_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii")
    try:
        name = codecs.lookup(label).name
        "".encode(name)  # only text encodings: rejects "base64", "rot13" and the like
    except (LookupError, UnicodeError):
        return None
    # Browsers read a page labelled Latin-1 or ASCII as Windows-1252, and one labelled UTF-16
    # (which a <meta> written in single bytes cannot be) as UTF-8; so do we.
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return label, "cp1252"
    if name.startswith(("utf-16", "utf-32", "utf-8")):
        return label, "utf-8-sig"
    return label, name


def _clean_given_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(url)s” is not a web address. Give the full address, starting with https://.")
            % {"url": url},
            code="url",
        ) from exc
    if len(url) > _URL_MAX:
        raise ValidationError(
            _("That web address is longer than %(max)d characters.") % {"max": _URL_MAX},
            code="url",
        )
    return url


def _page_url(url: str | None) -> str:
    """Return a URL found in the page if it is a usable web address, else nothing."""
    if not url:
        return ""
    try:
        return _clean_given_url(url)
    except ValidationError:
        return ""


# Plain text ----------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))


def _extract_from_text(text: str, *, url: str) -> ExtractedArticle:
    # Text copied from a web page puts one paragraph on each line, so every line break
    # separates paragraphs, and blank lines carry no extra meaning.
    lines = [line.strip() for line in _normalise(text).split("\n")]
    paragraphs = [line for line in lines if line]
    if not paragraphs:
        raise ValidationError(_("The file holds only blank lines."), code="empty")
    title, body_paragraphs = paragraphs[0], paragraphs[1:]
    if len(title) > _TITLE_MAX:
        raise ValidationError(
            _(
                "The first line is %(length)d characters long, too long for a title (at most "
                "%(max)d). Put the headline on a line of its own at the top of the file."
            )
            % {"length": len(title), "max": _TITLE_MAX},
            code="title",
        )
    if not body_paragraphs:
        raise ValidationError(
            _(
                "The file has a title (“%(title)s”) but no text under it. Put the headline on "
                "the first line and the article below it."
            )
            % {"title": title},
            code="no_body",
        )
    return ExtractedArticle(
        title=title,
        standfirst="",
        byline="",
        outlet_name="",
        published_on=None,
        language=DEFAULT_LANGUAGE,
        body="\n\n".join(body_paragraphs),
        source_url=url,
    )


# Web pages -----------------------------------------------------------------------------


def _no_article_error() -> ValidationError:
    return ValidationError(
        _(
            "No article text was found in this page. Open the article itself (not a home "
            "page, a list of links or a page behind a login), save it from the browser as "
            "“Web page, complete” or “HTML only”, and try again; or paste the article's text "
            "into a .txt file with the headline on the first line."
        ),
        code="no_article",
    )


def _too_large_page_error() -> ValidationError:
    return ValidationError(
        _(
            "This page is far larger than a news article (more than %(elements)s elements or "
            "%(characters)s characters of text), so it cannot be imported. Save only the "
            "article's own page from the browser, or paste the article's text into a .txt "
            "file with the headline on the first line."
        )
        % {
            "elements": f"{MAX_PAGE_ELEMENTS:,}",
            "characters": f"{MAX_PAGE_TEXT_CHARS:,}",
        },
        code="too_complex",
    )


def _check_page_size(tree: HtmlElement) -> None:
    """Refuse a page too big or too crowded to extract in a request's time."""
    text = 0
    for elements, element in enumerate(tree.iter(), start=1):
        if elements > MAX_PAGE_ELEMENTS or len(element) > MAX_CHILDREN:
            raise _too_large_page_error()
        if isinstance(element.tag, str) and element.tag not in _HIDDEN_TEXT_TAGS:
            text += len(element.text or "")
        text += len(element.tail or "")
    if text > MAX_PAGE_TEXT_CHARS:
        raise _too_large_page_error()


def _extract_from_html(html: str, *, url: str) -> ExtractedArticle:
    try:
        tree = trafilatura.load_html(html)
        document = None
        if tree is not None:
            _check_page_size(tree)
            document = trafilatura.bare_extraction(
                tree,
                url=url or None,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                include_formatting=False,
            )
    except (ValueError, TypeError, LxmlError, RecursionError) as exc:
        logger.warning("Could not read an uploaded page: %r", exc)
        raise ValidationError(
            _(
                "This page could not be read as HTML. Save it again from the browser, or paste "
                "the article's text into a .txt file with the headline on the first line."
            ),
            code="unreadable",
        ) from exc
    if document is None or document.body is None:
        raise _no_article_error()
    paragraphs = _without_furniture(_paragraphs(document.body), _page_furniture(tree))
    outlet_name = _clip(_outlet_name(tree, document.sitename or ""), _OUTLET_MAX)
    title = _title(tree, document.title or "", outlet_name)
    standfirst = _single_line(document.description or "")
    # Some pages repeat the headline at the top of the article text.
    if paragraphs and title and _same_text(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    # A summary the page prints as its first paragraph stays in the body, where it can be
    # annotated, and is not repeated above it.
    if paragraphs and _same_text(standfirst, paragraphs[0][: len(standfirst)]):
        standfirst = ""
    body = "\n\n".join(paragraphs)
    if len(body) < MIN_ARTICLE_CHARS:
        raise _no_article_error()
    title = title or _clip(paragraphs[0], _TITLE_MAX)
    return ExtractedArticle(
        title=title,
        standfirst=standfirst,
        byline=_byline(tree, document.author or "", outlet_name),
        outlet_name=outlet_name,
        published_on=_date(document.date),
        language=_language(tree),
        body=body,
        source_url=url or _page_url(document.url),
    )


@dataclass(frozen=True)
class _Block:
    """One paragraph of trafilatura's body and the element it came from ("p", "head"...)."""

    text: str
    tag: str


def _paragraphs(body) -> list[_Block]:
    """Flatten trafilatura's XML body into plain-text paragraphs, one per block element."""
    paragraphs: list[_Block] = []
    pieces: list[str] = []
    blocks: list[str] = ["p"]

    def close_paragraph() -> None:
        text = _single_line("".join(pieces))
        pieces.clear()
        if text:
            paragraphs.append(_Block(text, blocks[-1]))

    def walk(element) -> None:
        block = element.tag in _BLOCK_TAGS
        if block:
            close_paragraph()
            blocks.append(element.tag)
        if element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
        if block:
            close_paragraph()
            blocks.pop()
        elif element.tag == "cell":
            pieces.append(" ")
        if element.tail:
            pieces.append(element.tail)

    for child in body:
        walk(child)
    close_paragraph()
    return paragraphs


# Page furniture in the body -------------------------------------------------------------

# A heading of more words than this is a lede set in a heading tag, not a subhead.
SUBHEAD_MAX_WORDS = 12
# Captions and link-only lines longer than this are too long to be one (characters).
CAPTION_MAX_CHARS = 600
LINK_LINE_MAX_WORDS = 15
# Lines of furniture are short; a longer line that happens to start like one is text.
FURNITURE_MAX_WORDS = 25

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?"
# A line that is only a date or time: the page's dateline, not the article's text.
_DATELINE = re.compile(
    rf"""^(?:(?:first\ )?(?:published|updated|posted|last\ updated|modified)(?:\ on|\ at)?:?\s*)?
    (?:(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?,?\s+)?
    (?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}
      |{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
      |\d{{4}}-\d{{2}}-\d{{2}}
      |\d{{1,2}}/\d{{1,2}}/\d{{2,4}}
      |{_CLOCK})
    (?:,?\s*(?:at\s+)?{_CLOCK})?\.?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Page furniture that reads the same on every site: section labels, comment and share
# counters, "Continue reading", "Read more", photo credits, slide-show controls, and editors'
# promotions in square brackets.
_FURNITURE = re.compile(
    r"""^(?:from\ the\ section\b.*
    |(?:topics|tags|filed\ under|more\ in|section|categories)\s*:.*
    |[\d,.]+k?\s+(?:comments?|shares?|replies|reactions|likes)
    |comments?(?:\s*\(\d+\))?|share|tweet|email|print|save|loading\ comments\W*
    |share\ (?:on|via|this)\b.*
    |continue\ reading(?:\ (?:the\ )?(?:main\ |full\ )?(?:story|article)|\ below)?\W*
    |(?:story|article)\ continues\ below.*
    |advertisement|skip\ advertisement|sponsored(?:\ content)?
    |read\ (?:more|next)(?:\s*[:»›>|].*)?|(?:see\ also|related)\s*:.*
    |\[.*\]
    |(?:photograph|photo|photos|picture|image|illustration|credit|video)\s*:.*
    |image\ (?:copyright|caption)\b.*|getty\ images|media\ playback\ is\ unsupported.*
    |\(?(?:ap|afp|reuters|epa|getty)\ ?(?:photo|images)\b.*
    |\d+\ of\ \d+|close|full\ ?screen|thumbnails|previous|next|enlarge\ this\ image
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A heading that announces links to other articles: it and everything after it are not the
# article, when it comes in the article's second half.
_LINKS_HEADING = re.compile(
    r"""^(?:read\ more|related(?:\ \w+)?|more\ (?:on|from|about)\b.{0,40}|recommended(?:\ \w+)?
    |you\ (?:might|may)\ also\ like|other\ .{0,30}\ columns|most\ (?:read|popular|viewed|shared)
    |(?:featured|recent)\ (?:slide\ ?shows|videos|stories))\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_IMAGE_TAGS = {"img", "picture", "figure"}
_NOT_CAPTION_TAGS = {"p", "figure", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table"}


@dataclass(frozen=True)
class _PageFurniture:
    """Texts on the page that are not the article when printed as a paragraph of it."""

    captions: frozenset[str]
    links: frozenset[str]


def _furniture_key(text: str) -> str:
    return _single_line(text).casefold().rstrip(" .")


def _page_furniture(tree: HtmlElement) -> _PageFurniture:
    """Find the captions and the lone links of a page."""
    captions: set[str] = set()
    links: set[str] = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marks = f"{element.get('class', '')} {element.get('itemprop', '')}".casefold()
        if element.tag == "figcaption" or (
            element.tag not in _IMAGE_TAGS and ("caption" in marks or "credit" in marks)
        ):
            captions.add(_furniture_key(element.text_content()))
        elif element.tag == "img" and element.get("alt"):
            captions.add(_furniture_key(element.get("alt")))
        elif element.tag == "a":
            parent = element.getparent()
            text = _furniture_key(element.text_content())
            if parent is not None and text == _furniture_key(parent.text_content()):
                links.add(text)
        if element.tag in _IMAGE_TAGS or (
            element.find(".//img") is not None and not _single_line(element.text_content())
        ):
            # Some sites print the caption as a list or a box right after the picture; a
            # paragraph there is the article going on.
            following = element.getnext()
            if following is not None and following.tag not in _NOT_CAPTION_TAGS:
                captions.add(_furniture_key(following.text_content()))
    captions = {text for text in captions if 0 < len(text) <= CAPTION_MAX_CHARS}
    links = {text for text in links if 0 < len(text.split()) <= LINK_LINE_MAX_WORDS}
    return _PageFurniture(frozenset(captions), frozenset(links))


def _is_furniture(block: _Block, page: _PageFurniture) -> bool:
    """Whether a paragraph is page furniture: a subhead, a caption, a lone link, a dateline,
    a counter, a credit or a "Continue reading"."""
    if block.tag == "head" and len(block.text.split()) <= SUBHEAD_MAX_WORDS:
        return True
    key = _furniture_key(block.text)
    if key in page.captions or key in page.links:
        return True
    if len(block.text.split()) > FURNITURE_MAX_WORDS:
        return False
    return bool(_DATELINE.match(block.text) or _FURNITURE.match(block.text))


def _without_furniture(blocks: list[_Block], page: _PageFurniture) -> list[str]:
    """Return the article's paragraphs, without the page furniture trafilatura let through."""
    total = sum(len(block.text) for block in blocks)
    seen = 0
    kept: list[str] = []
    for block in blocks:
        if seen * 2 >= total and _LINKS_HEADING.match(block.text):
            break
        seen += len(block.text)
        if not _is_furniture(block, page):
            kept.append(block.text)
    return kept


def _single_line(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _same_text(first: str, second: str) -> bool:
    return _single_line(first).casefold() == _single_line(second).casefold()


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _meta(tree: HtmlElement, *names: str) -> str:
    for name in names:
        for element in tree.xpath("//meta[@property=$name or @name=$name][@content]", name=name):
            value = _single_line(element.get("content"))
            if value:
                return value
    return ""


def _headings(tree: HtmlElement) -> list[str]:
    return [text for h1 in tree.iter("h1") if (text := _single_line(h1.text_content()))]


def _outlet_name(tree: HtmlElement, found: str) -> str:
    """Return the outlet's name as people write it: the publisher the page's JSON-LD names,
    else the site name it states, else its web address; well-known outlets by their own
    spelling ("NYTimes" is The New York Times)."""
    found = _single_line(found)
    if not found or ("." in found and " " not in found):
        # trafilatura reads og:site_name only inside <head>; a stray tag there (an <iframe> a
        # browser extension left) ends the head early and pushes the meta tags into the body.
        found = _meta(tree, "og:site_name", "application-name") or found
    name = _json_ld_publisher(tree) or found
    return KNOWN_OUTLETS.get(_outlet_key(name), name)


def _outlet_key(name: str) -> str:
    """Fold an outlet's name to compare spellings: "the Guardian", "Salon.com", "NYTimes"."""
    name = re.sub(
        r"^(?:www\.)?(.+?)\.(?:com|org|net|co\.uk|com\.au|com\.br|fr|de|es|it)$",
        r"\1",
        name.strip().casefold(),
    )
    name = re.sub(r"^the\b", "", name)
    return "".join(
        character for character in unicodedata.normalize("NFKD", name) if character.isalnum()
    )


def _strip_site_name(title: str, outlet_name: str) -> str:
    """Drop a trailing or leading " - Site Name" from a headline."""
    if not outlet_name:
        return title
    folded_outlet = outlet_name.casefold()
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head and tail.casefold() == folded_outlet:
            return head.strip()
        head, found, tail = title.partition(separator)
        if found and tail and head.casefold() == folded_outlet:
            return tail.strip()
    return title


def _title(tree: HtmlElement, found: str, outlet_name: str) -> str:
    """Pick the headline: the page's own <h1> when the <title> is it plus a site or section."""
    title = _strip_site_name(_single_line(found), outlet_name)
    headings = _headings(tree)
    if not title and headings:
        title = headings[0]
    for heading in headings:
        # "Headline | Section | Site" whose <h1> says just "Headline"; a short <h1> is the
        # site's logo, not the headline.
        if len(heading) * 2 >= len(title) and any(
            title.startswith(heading + separator.rstrip()) for separator in _TITLE_SEPARATORS
        ):
            title = heading
            break
    return _clip(title, _TITLE_MAX)


def _byline(tree: HtmlElement, found: str, outlet_name: str = "") -> str:
    """Return the author names, from the best place the page gives them."""
    candidates = [
        lambda: found,
        # trafilatura misses JSON-LD wrapped in <![CDATA[ ]]>, as XHTML-era pages have it.
        lambda: "; ".join(_json_ld_authors(tree)),
        # trafilatura drops an author that is one word.
        lambda: _meta(tree, "article:author", "og:article:author", "author"),
        lambda: _visible_byline(tree),
    ]
    for candidate in candidates:
        byline = _tidy_byline(candidate())
        # A page that names its newsroom as the author ("BBC News") names the outlet, which
        # the article already shows; the byline is for the people who wrote it.
        if byline and not _is_outlet(byline, outlet_name):
            return byline
    return ""


def _is_outlet(name: str, outlet_name: str) -> bool:
    """Whether a name is the article's own outlet ("BBC" on a BBC News page); a news agency
    credited on another outlet's page ("AFP") is the author."""
    if not outlet_name:
        return False
    key = _outlet_key(name)
    return key == _outlet_key(outlet_name) or KNOWN_OUTLETS.get(key) == outlet_name


def _tidy_byline(found: str) -> str:
    """Tidy author names: no "By", no web addresses or placeholders, each name once."""
    names: list[str] = []
    seen: set[str] = set()
    # trafilatura lists several authors as "A; B".
    for part in _single_line(found).split(";"):
        name = _BYLINE_PREFIX.sub("", part).strip(" .,:;|-")
        key = name.casefold()
        if (
            not name
            or key in seen
            or key in _NOT_A_BYLINE
            or "/" in name
            or not any(character.isalpha() for character in name)
        ):
            continue
        seen.add(key)
        names.append(name)
    if not names:
        return ""
    byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return _clip(byline, _BYLINE_MAX)


def _json_ld_articles(tree: HtmlElement):
    """Yield the page's JSON-LD items that describe an article."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = _CDATA.sub("", (script.text or "").strip())
        try:
            data = json_parse(text)
        except ValueError:
            # Metadata the reader never sees: a broken block only means no metadata from it.
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("@graph"), list):
                items.extend(item["@graph"])
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(kind, str) and kind.endswith("Article") for kind in kinds):
                yield item


def _json_ld_authors(tree: HtmlElement) -> list[str]:
    names: list[str] = []
    for item in _json_ld_articles(tree):
        authors = item.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip():
                names.append(name.strip())
    return names


def _json_ld_publisher(tree: HtmlElement) -> str:
    for item in _json_ld_articles(tree):
        publisher = item.get("publisher")
        for candidate in publisher if isinstance(publisher, list) else [publisher]:
            name = candidate.get("name") if isinstance(candidate, dict) else candidate
            if isinstance(name, str) and _single_line(name):
                return _single_line(name)
    return ""


def _visible_byline(tree: HtmlElement) -> str:
    """Return the first short "By Jo Writer" the page marks as a byline."""
    for element in _BYLINE_ELEMENTS(tree):
        text = _BYLINE_PREFIX.sub("", _single_line(element.text_content()))
        if text and len(text.split()) <= 6 and not any(character.isdigit() for character in text):
            return text
    return ""


def _date(found: str | None) -> datetime.date | None:
    if not found:
        return None
    try:
        return datetime.date.fromisoformat(found[:10])
    except ValueError:
        return None


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def _language(tree: HtmlElement) -> str:
    """Return the page's declared language as a BCP 47 tag ("en", "pt-BR"), or the default."""
    declared = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        tree.get("xml:lang"),
        _meta(tree, "content-language"),
        *[
            m.get("content")
            for m in tree.xpath("//meta[@http-equiv][@content]")
            if m.get("http-equiv").lower() == "content-language"
        ],
        _meta(tree, "og:locale"),
    ]
    for value in declared:
        value = (value or "").strip().split(",")[0].strip()
        if value and _LANGUAGE_TAG.match(value):
            primary, *rest = re.split(r"[-_]", value)
            tag = "-".join(
                [primary.lower(), *(part.upper() if len(part) == 2 else part for part in rest)]
            )
            return tag[:_LANGUAGE_MAX].rstrip("-")
    return DEFAULT_LANGUAGE
