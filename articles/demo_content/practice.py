# (The articles are typeset with curly quotes and apostrophes; the quotes below must match.)
"""Two short practice articles. They are fiction, and say so in their titles: Millbrook, its
newspaper and everyone quoted are made up.

Between them they show what the real article lacks or has only once: an unnamed source, a
vague collective ("Residents say", "Critics say"), a document, a named organisation,
opinions, and a claim that names no source at all.
"""

from articles.demo_content.spec import (
    CLAIM,
    DOCUMENT,
    FACT,
    NAMED_ORG,
    NAMED_PERSON,
    NO_SOURCE,
    OPINION,
    ORGANISATION,
    PERSON,
    UNNAMED,
    UNNAMED_SOURCE,
    VAGUE,
    VAGUE_SOURCE,
    AnnotationSpec,
    ArticleSpec,
    OutletSpec,
    SourceSpec,
)

MILLBROOK_GAZETTE = OutletSpec(
    name="Millbrook Gazette",
    notes=(
        "A made-up local newspaper for practice articles. Millbrook and everyone in its "
        "stories are fictional."
    ),
)

LIBRARY = ArticleSpec(
    slug="practice-millbrook-library",
    title="Riverside Library should close, council report says (practice article)",
    text_file="practice-millbrook-library.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Priya Nair",
    sources=(
        SourceSpec(
            "report",
            "Council report on Riverside Library",
            "Report to Millbrook council on the library’s future, published on Monday",
            DOCUMENT,
        ),
        SourceSpec(
            "okafor",
            "Renée Okafor",
            "Councillor who chairs the council’s culture committee",
            PERSON,
        ),
        SourceSpec(
            "residents",
            "Residents",
            "Some people who live in Millbrook; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec("avery", "Tom Avery", "Millbrook resident, 72, who uses the library", PERSON),
        SourceSpec(
            "insider",
            "A person familiar with the plans",
            "Someone the reporter spoke to who asked not to be named",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote="A council report published on Monday recommends closing Riverside Library",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper tells you, in its own voice, that a council "
                "report exists and what it recommends. Whether closing the library is a good "
                "idea is a separate question."
            ),
        ),
        AnnotationSpec(
            quote="Millbrook’s oldest public building",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact slipped in between dashes. The reporter states it without a "
                "source, as something anyone could check in the town’s records."
            ),
        ),
        AnnotationSpec(
            quote="the library’s roof needs repairs costing £310,000",
            kind=CLAIM,
            speaker="report",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="the report",
            explanation=(
                "The report’s claim, not the reporter’s: “According to the report” tells you "
                "whose figure it is. The source is a document you could ask to read."
            ),
        ),
        AnnotationSpec(
            quote="visits have fallen by a third since 2019",
            kind=CLAIM,
            speaker="report",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="the report",
            explanation=(
                "Still the report’s claim: “According to the report” covers the whole "
                "sentence. A figure like this can be checked against the library’s own "
                "visitor counts."
            ),
        ),
        AnnotationSpec(
            quote="painful but the right thing to do",
            kind=OPINION,
            speaker="okafor",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="Councillor Renée Okafor",
            explanation=(
                "The councillor’s opinion, in her own words. “Painful” and “the right thing” "
                "are judgements: people can disagree, but nobody can prove them true or false."
            ),
        ),
        AnnotationSpec(
            quote="Visits have gone down every single year since 2019",
            kind=CLAIM,
            speaker="okafor",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="she said",
            explanation=(
                "The councillor’s claim; “she” is Councillor Okafor. Compare it with the "
                "figure earlier in the article: down by a third since 2019 does not mean down "
                "every single year."
            ),
        ),
        AnnotationSpec(
            quote="the library is busier than the council admits",
            kind=CLAIM,
            speaker="residents",
            cue="say",
            sourcing=VAGUE,
            source_words="Residents",
            explanation=(
                "A claim by “residents”: which ones, and how many? The article does not say, "
                "so the sourcing is vague. Their word “admits” suggests the council is hiding "
                "something."
            ),
        ),
        AnnotationSpec(
            quote="Closing it would be a disgrace",
            kind=OPINION,
            speaker="avery",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Tom Avery",
            explanation=(
                "Tom Avery’s opinion: “a disgrace” is a judgement, not something to check. He "
                "is named, but he speaks only for himself, not for everyone in Millbrook."
            ),
        ),
        AnnotationSpec(
            quote="a developer had already offered to buy the building",
            kind=CLAIM,
            speaker="insider",
            cue="said",
            sourcing=UNNAMED,
            source_words="A person familiar with the plans",
            explanation=(
                "A claim from an unnamed source: the person asked not to be named, so you "
                "cannot tell who they are or how they know. The reporter trusts them; you have "
                "to trust the reporter."
            ),
        ),
        AnnotationSpec(
            quote="The move is expected to save the council about £45,000 a year",
            kind=CLAIM,
            sourcing=NO_SOURCE,
            cue="is expected",
            explanation=(
                "Expected by whom? No one is named, not even vaguely: there is no source at "
                "all. It is a forecast that could turn out wrong, so it is a claim, not a fact."
            ),
        ),
        AnnotationSpec(
            quote="Councillors will vote on the plan on 14 May",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact in the newspaper’s own voice. Council meeting dates are "
                "public, so the reporter needs no source for it."
            ),
        ),
    ),
)

SCHOOL = ArticleSpec(
    slug="practice-millbrook-high-inspection",
    title="Millbrook High rated ‘good’, but inspectors find cold classrooms (practice article)",
    text_file="practice-millbrook-high-inspection.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Zoë Harper",
    sources=(
        SourceSpec(
            "inspection",
            "The inspection report",
            "Report on Millbrook High School by the regional schools inspectorate",
            DOCUMENT,
        ),
        SourceSpec("ferreira", "José Ferreira", "Head teacher of Millbrook High School", PERSON),
        SourceSpec(
            "critics",
            "Critics",
            "People who disagree with the county; the article does not say who they are",
            VAGUE_SOURCE,
        ),
        SourceSpec(
            "friends",
            "Friends of Millbrook High",
            "A parents’ group at the school",
            ORGANISATION,
        ),
        SourceSpec(
            "official",
            "A county official",
            "Someone at the county council, not named because they may not speak publicly",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote=(
                "Millbrook High School has been rated “good” in its first inspection since "
                "2022, up from “requires improvement”"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states the school’s official rating in its "
                "own voice. The quotation marks show the inspectors’ exact labels."
            ),
        ),
        AnnotationSpec(
            quote="published on Friday by the regional schools inspectorate",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: who published the report, and when. With a named publisher "
                "and a date, you could find the report yourself."
            ),
        ),
        AnnotationSpec(
            quote="several classrooms were too cold to learn in last winter",
            kind=CLAIM,
            speaker="inspection",
            cue="found",
            sourcing=NAMED_ORG,
            source_words="The inspection report",
            explanation=(
                "The inspection report’s claim: a named document. The cue “found” presents it "
                "as established, which is fair for inspectors who measured, but it is still "
                "their finding, not the reporter’s."
            ),
        ),
        AnnotationSpec(
            quote="Head teacher José Ferreira welcomed the result",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the reporter tells you, in the newspaper’s voice, how the "
                "head teacher reacted. No quotation marks: these are the reporter’s words."
            ),
        ),
        AnnotationSpec(
            quote=(
                "This rating belongs to our pupils and staff — they have earned every word of it"
            ),
            kind=OPINION,
            speaker="ferreira",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="he said",
            explanation=(
                "The head teacher’s opinion: praise for his school that cannot be proven true "
                "or false. “He” is José Ferreira, named just before."
            ),
        ),
        AnnotationSpec(
            quote="the county council has ignored the school’s crumbling buildings for years",
            kind=CLAIM,
            speaker="critics",
            cue="say",
            sourcing=VAGUE,
            source_words="Critics",
            explanation=(
                "A claim by “critics”: who are they? The article does not say, so the "
                "sourcing is vague. “Crumbling” is a strong word you might not find in an "
                "inspectors’ report."
            ),
        ),
        AnnotationSpec(
            quote="it has collected 1,200 signatures calling for new heating",
            kind=CLAIM,
            speaker="friends",
            cue="says",
            sourcing=NAMED_ORG,
            source_words="Friends of Millbrook High",
            explanation=(
                "The parents’ group’s claim, from a named organisation. The reporter did not "
                "count the signatures: “says” shows the figure comes from the group."
            ),
        ),
        AnnotationSpec(
            quote="money for the repairs had been set aside in next year’s budget",
            kind=CLAIM,
            speaker="official",
            cue="said",
            sourcing=UNNAMED,
            source_words="A county official",
            explanation=(
                "A claim from an unnamed source. We learn why the official is not named, but "
                "not who they are, so you cannot check how they know. Next year’s budget will "
                "show if it is true."
            ),
        ),
        AnnotationSpec(
            quote="The school has about 900 pupils",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact in the newspaper’s own voice. It is a plain number with no "
                "source, because the school’s size is public and easy to check."
            ),
        ),
    ),
)

PRACTICE_ARTICLES = (LIBRARY, SCHOOL)
