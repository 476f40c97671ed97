"""Two short practice articles. They are fiction, and say so in their titles: Millbrook, its
newspaper and everyone quoted are made up.

Between them they show what the real article lacks or has only once: an unnamed source, a
vague collective ("Residents say", "Critics say"), a document, a named organisation,
opinions, and a claim that names no source at all.
"""

from articles.demo_content.spec import OutletSpec, article_spec_load

MILLBROOK_GAZETTE = OutletSpec(
    name="Millbrook Gazette",
    notes=(
        "A made-up local newspaper for practice articles. Millbrook and everyone in its "
        "stories are fictional."
    ),
)

LIBRARY = article_spec_load("practice-millbrook-library", outlet=MILLBROOK_GAZETTE)
SCHOOL = article_spec_load("practice-millbrook-high-inspection", outlet=MILLBROOK_GAZETTE)

PRACTICE_ARTICLES = (LIBRARY, SCHOOL)
