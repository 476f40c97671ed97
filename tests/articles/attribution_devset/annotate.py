"""Turn an annotator's worksheet into a dev-set file of offsets, and show what it marks.

    python -m tests.articles.attribution_devset.annotate NAME ORIGIN WORKSHEET.json

ORIGIN is `readability` (a page of ../shared/corpora/readability) or `demo` (an article in
articles/demo_content). The worksheet holds the publisher's words, so keep it outside the
repository. It is a JSON list, one object per attribution, in reading order:

    {"anchor": "words found once in the text, at or before the attribution",
     "source": ["Dmitry Peskov"], "cue": ["said"], "content": ["first part", "second part"]}

Each fragment is found at its first occurrence at or after the anchor's start (within 3,000
characters). Where that is the wrong occurrence, give the fragment as ["words", "after"]: the
words are then looked for after the end of the first occurrence of "after" (itself found from
the anchor). The output file is written beside this module as NAME.json.
"""

import json
import sys
from pathlib import Path

from tests.articles.attribution_devset import FOLDER, page_text, text_sha256

WINDOW = 3000


def locate(text: str, fragment, origin: int) -> tuple[int, int]:
    if isinstance(fragment, list):
        words, after = fragment
        after_at = text.find(after, origin, origin + WINDOW)
        if after_at < 0:
            raise ValueError(f"'after' words not found near the anchor: {after!r}")
        origin = after_at + len(after)
    else:
        words = fragment
    at = text.find(words, origin, origin + WINDOW)
    if at < 0:
        raise ValueError(f"not found near the anchor: {words!r}")
    return at, at + len(words)


def convert(text: str, worksheet: list[dict]) -> list[dict]:
    attributions = []
    for number, entry in enumerate(worksheet, 1):
        anchor = entry["anchor"]
        count = text.count(anchor)
        if count != 1:
            raise ValueError(f"#{number}: the anchor occurs {count} times: {anchor!r}")
        origin = text.index(anchor)
        try:
            attributions.append(
                {
                    part: sorted(locate(text, fragment, origin) for fragment in entry.get(part, []))
                    for part in ("source", "cue", "content")
                }
            )
        except ValueError as error:
            raise ValueError(f"#{number}: {error}") from None
    return attributions


def main(name: str, origin: str, worksheet_path: str) -> None:
    text = page_text(name, origin)
    if text is None:
        sys.exit(f"No text for {name} ({origin}) on this machine.")
    worksheet = json.loads(Path(worksheet_path).read_text(encoding="utf-8"))
    try:
        attributions = convert(text, worksheet)
    except ValueError as error:
        sys.exit(str(error))
    record = {
        "id": name,
        "origin": origin,
        "text_sha256": text_sha256(text),
        "attributions": [
            {part: [list(span) for span in spans] for part, spans in item.items()}
            for item in attributions
        ],
    }
    (FOLDER / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    for number, item in enumerate(attributions, 1):
        shown = {part: " … ".join(text[s:e] for s, e in spans) for part, spans in item.items()}
        print(f"{number:3}. [{shown['source']}] [{shown['cue']}] {shown['content'][:90]!r}")
    print(f"{len(attributions)} attributions written to {FOLDER / (name + '.json')}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
