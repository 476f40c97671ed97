"""Six practice articles for parallel test forms and booster practice, in three pairs.

The two articles of a pair read at the same level (`articles.text.reading_grade`), are about
as long and are built the same way, paragraph by paragraph, on different topics: a student
can take one as a test and the other as a retest. Pair 1 reads at about grade 5-6, pair 2 at
about grade 8-9, pair 3 at about grade 11-12. Each article has every kind of statement,
every sourcing category and every kind of source, with the cues "said", "according to",
"admitted", "claimed" and "warned", a tag after a quotation, an interrupted quotation and a
pronoun that stands for a name given earlier.

Like the other practice articles they are fiction, and say so in their titles.
"""

from articles.demo_content.practice import MILLBROOK_GAZETTE
from articles.demo_content.spec import ArticleSpec, article_spec_load


def _form(slug: str) -> ArticleSpec:
    """Read one of the forms, all from the same made-up newspaper."""
    return article_spec_load(slug, outlet=MILLBROOK_GAZETTE)


# The two articles of each pair: the same level, length and build, on different topics.
PARALLEL_FORMS = (
    # Pair 1: about grade 5-6.
    (_form("practice-millbrook-bridge"), _form("practice-millbrook-playground")),
    # Pair 2: about grade 8-9.
    (_form("practice-millbrook-clinic"), _form("practice-millbrook-pool")),
    # Pair 3: about grade 11-12.
    (_form("practice-millbrook-buses"), _form("practice-millbrook-flood")),
)
PRACTICE_FORM_ARTICLES = tuple(spec for pair in PARALLEL_FORMS for spec in pair)
