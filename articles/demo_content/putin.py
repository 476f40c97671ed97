"""The shipped real article, annotated the way a careful teacher would.

Every statement in the body is marked: each quotation with its speaker and cue, each claim
attributed to someone, and the facts the outlet states in its own voice. Reported speech has
two layers, so some statements get two overlapping annotations: *that* someone said or
alleged something is a reported fact, *what* they said is their claim.

The annotations are in putin-denies-trump-contacts.toml, beside the text. The standfirst
("The Russian president has said all allegations ... put to rest") is not annotated:
annotations mark spans of the body only.
"""

from articles.demo_content.spec import OutletSpec, article_spec_load

RT = OutletSpec(
    name="RT",
    url="https://www.rt.com",
    notes="Russian state-funded international news channel and website, formerly Russia Today.",
)

ARTICLE = article_spec_load("putin-denies-trump-contacts", outlet=RT)
