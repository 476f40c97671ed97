"""Measure the attribution proposer: its figures on the development set and its speed.

    python bench/suggestions.py        (or `make bench-suggestions`)

Prints the time a teacher waits for an import of a 2,000-word page with its proposals and
for Propose annotations on it (through the test client, on a throwaway SQLite database),
the Citron-metric table on the whole development set (tests/articles/attribution_devset;
the Readability pages are read from ../shared/corpora/readability when it is there), the
speaker, kind and sourcing of the proposals that meet the teacher's annotations of our own
articles, and the time to propose, per 1,000 words, after the pipeline has loaded (the median
of three runs per text).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
# A database of its own, thrown away afterwards: the dev database is left alone.
WORK = tempfile.TemporaryDirectory(prefix="sourcewise-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORK.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from articles.attribution import attributions_find, nlp, statements_find  # noqa: E402
from articles.attribution.scoring import score, scores_table  # noqa: E402
from articles.demo_content.spec import CONTENT_DIR, article_spec_load  # noqa: E402
from tests.articles.attribution_devset import dev_pages, text_sha256  # noqa: E402


def same_speaker(expected: str, proposed: str) -> bool:
    expected, proposed = expected.casefold(), proposed.casefold()
    return bool(proposed) and (expected in proposed or proposed in expected)


def development_set() -> list[tuple[str, str]]:
    pages = [page for page in dev_pages() if page.text is not None]
    skipped = [page.name for page in dev_pages() if page.text is None]
    if skipped:
        print(f"(the corpus is absent: {len(skipped)} Readability pages left out)")
    documents = []
    for page in pages:
        if text_sha256(page.text) != page.sha256:
            sys.exit(f"{page.name}: the text changed since it was annotated")
        predicted = [a.as_json() for a in attributions_find(page.text)]
        documents.append((page.text, predicted, page.attributions))
    print(f"Development set: {len(pages)} texts, {sum(len(d[2]) for d in documents)} attributions")
    print(scores_table(score(documents)))
    return [(page.name, page.text) for page in pages]


def own_articles() -> None:
    counts = {"statements": 0, "met": 0, "speaker": 0, "kind": 0, "sourcing": 0}
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        spec = article_spec_load(path.stem)
        text = spec.text()
        found = statements_find(text)
        sources = {source.key: source for source in spec.sources}
        for annotation in spec.annotations:
            counts["statements"] += 1
            start = text.find(annotation.quote)
            end = start + len(annotation.quote)
            overlapping = [a for a in found if a.start < end and start < a.end]
            if start < 0 or not overlapping:
                continue
            proposal = max(
                overlapping,
                key=lambda a: (min(a.end, end) - max(a.start, start), -(a.end - a.start)),
            )
            counts["met"] += 1
            if annotation.speaker is None:
                counts["speaker"] += not proposal.speaker
            else:
                counts["speaker"] += same_speaker(
                    sources[annotation.speaker].name, proposal.speaker
                )
            counts["kind"] += proposal.kind == annotation.kind
            counts["sourcing"] += proposal.sourcing == annotation.sourcing
    met = counts["met"]
    print(
        f"\nOur {len(list(CONTENT_DIR.glob('*.toml')))} articles: {met} of {counts['statements']} "
        f"teacher statements met by a proposal; of those, speaker {counts['speaker']}/{met}, "
        f"kind {counts['kind']}/{met}, sourcing {counts['sourcing']}/{met}"
    )


def load() -> None:
    started = time.perf_counter()
    nlp()
    print(f"Pipeline load: {time.perf_counter() - started:.2f} s (once per process)\n")


def speed(texts: list[tuple[str, str]]) -> None:
    rows = []
    for name, text in texts:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            statements_find(text)
            runs.append(time.perf_counter() - started)
        rows.append((name, len(text.split()), statistics.median(runs)))
    words = sum(row[1] for row in rows)
    seconds = sum(row[2] for row in rows)
    longest = max(rows, key=lambda row: row[1])
    print(
        f"\nProposing: {1000 * seconds / words:.3f} s per 1,000 words over {words:,} words; "
        f"the longest text, {longest[0]} ({longest[1]:,} words), {longest[2]:.2f} s"
    )


def requests() -> None:
    """The teacher's wait: importing a real page, proposals included, then asking again."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from articles.models import Article
    from tests.articles.attribution_devset import CORPUS
    from tests.factories import TeacherFactory

    page = CORPUS / "seattletimes-1" / "source.html"
    if not page.is_file():
        print("(the corpus is absent: the import is not timed)\n")
        return
    setup_test_environment()
    call_command("migrate", verbosity=0)
    client = Client(raise_request_exception=True)
    client.force_login(TeacherFactory())
    started = time.perf_counter()
    response = client.post(
        reverse("admin:articles_article_import"),
        {"file": SimpleUploadedFile("source.html", page.read_bytes(), "text/html")},
    )
    imported = time.perf_counter() - started
    article = Article.objects.get()
    if response.status_code != 302 or not article.proposals.exists():
        sys.exit(f"The import did not give proposals: {response.status_code}")
    words = len(article.body.split())
    print(
        f"Import of seattletimes-1 ({words:,} words) with {article.proposals.count()} proposals: "
        f"{imported:.2f} s"
    )
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        client.post(reverse("articles:proposals", args=[article.pk]))
        runs.append(time.perf_counter() - started)
    print(f"Propose annotations on it again (nothing new): {statistics.median(runs):.2f} s\n")


if __name__ == "__main__":
    load()
    requests()
    texts = development_set()
    own_articles()
    speed(texts)
