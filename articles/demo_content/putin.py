# (The article is typeset with curly quotes and apostrophes; the quotes below must match it.)
"""The shipped real article, annotated the way a careful teacher would.

Every statement in the body is marked: each quotation with its speaker and cue, each claim
attributed to someone, and the facts the outlet states in its own voice. Reported speech has
two layers, so some statements get two overlapping annotations: *that* someone said or
alleged something is a reported fact, *what* they said is their claim.

The standfirst ("The Russian president has said all allegations ... put to rest") is not
annotated: annotations mark spans of the body only.
"""

from datetime import date

from articles.demo_content.spec import (
    CLAIM,
    DOCUMENT,
    FACT,
    NAMED_ORG,
    NAMED_PERSON,
    NO_SOURCE,
    OPINION,
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

RT = OutletSpec(
    name="RT",
    url="https://www.rt.com",
    notes="Russian state-funded international news channel and website, formerly Russia Today.",
)

SOURCES = (
    SourceSpec("putin", "Vladimir Putin", "President of Russia", PERSON),
    SourceSpec(
        "media",
        "Media reports",
        "News reports the article does not identify: no outlet, author or date",
        VAGUE_SOURCE,
    ),
    SourceSpec(
        "woodward_book",
        "Bob Woodward’s book",
        "A book by the American journalist Bob Woodward; the article does not give its title",
        DOCUMENT,
    ),
    # Asks the question but makes no statement; kept so a quiz can offer him as a choice.
    SourceSpec("simmons", "Keir Simmons", "NBC journalist who asked Putin the question", PERSON),
    SourceSpec(
        "us_intelligence",
        "US intelligence officials",
        "Officials of US intelligence agencies; the article does not name them or their agency",
        UNNAMED_SOURCE,
    ),
    SourceSpec(
        "mueller",
        "Robert Mueller’s investigation",
        "The US Special Counsel investigation (2017–2019) into Russian interference in the "
        "2016 election; the quoted words come from its final report",
        DOCUMENT,
    ),
    SourceSpec(
        "trump",
        "Donald Trump",
        "Former US President and Republican presidential nominee in 2024",
        PERSON,
    ),
    SourceSpec(
        "moscow",
        "Moscow",
        "Stands for the Russian government, but names no person, statement or date",
        VAGUE_SOURCE,
    ),
)

# Tags that each carry two of Putin's statements: the second has no tag of its own.
PUTIN_POINTED_OUT = {
    "speaker": "putin",
    "cue": "pointed out",
    "sourcing": NAMED_PERSON,
    "source_words": "the Russian president pointed out",
}
PUTIN_STRESSED = {
    "speaker": "putin",
    "cue": "stressed",
    "sourcing": NAMED_PERSON,
    "source_words": "he stressed",
}

ANNOTATIONS = (
    # Paragraph 1: the denial (fact) and what the media reports claim.
    AnnotationSpec(
        quote=(
            "Russian President Vladimir Putin has denied media reports claiming that he has "
            "maintained contact with former US President and Republican presidential nominee "
            "Donald Trump"
        ),
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "The reporter states in the article’s own voice that Putin made a denial: that is "
            "a reported fact. Whether the denial is true is another question."
        ),
    ),
    AnnotationSpec(
        quote=(
            "he has maintained contact with former US President and Republican presidential "
            "nominee Donald Trump"
        ),
        kind=CLAIM,
        speaker="media",
        cue="claiming",
        sourcing=VAGUE,
        source_words="media reports",
        explanation=(
            "This is what “media reports” claim, not something the reporter says is true. "
            "Which media? The article never says, so the sourcing is vague, and the cue "
            "“claiming” marks an assertion, not a checked fact."
        ),
    ),
    # Paragraph 2: the book came out (fact); what it alleges (the book's claim).
    AnnotationSpec(
        quote="Last week, a book by American journalist Bob Woodward hit the stands",
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "A reported fact in the article’s own voice: the book came out last week, which "
            "is easy to check. Whether what is in the book is true is a different question."
        ),
    ),
    AnnotationSpec(
        quote=(
            "Trump had secretly spoken to Putin seven times after the end of his presidency in 2021"
        ),
        kind=CLAIM,
        speaker="woodward_book",
        cue="alleged",
        sourcing=NAMED_ORG,
        source_words="a book by American journalist Bob Woodward",
        explanation=(
            "This is the book’s claim, not the reporter’s. The source is a named document: a "
            "book by a named journalist. The cue “alleged” means it is said but not proven."
        ),
    ),
    # Paragraph 3: the setting (facts).
    AnnotationSpec(
        quote="At a news conference following the 16th BRICS Summit in Kazan on Thursday",
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "The reporter tells us, as a fact, where and when the news conference took place: "
            "after the BRICS summit in Kazan, on Thursday 24 October 2024. No source is given "
            "because many journalists were there to see it."
        ),
    ),
    AnnotationSpec(
        quote=(
            "NBC journalist Keir Simmons asked Putin whether he has had private conversations "
            "with Trump"
        ),
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "A reported fact: a named journalist asked Putin a question. A question is not a "
            "claim, because it asserts nothing."
        ),
    ),
    # Paragraph 4: Putin's answer, in three quotations.
    AnnotationSpec(
        quote=(
            "This issue has been making headlines for years now. At one point, Mr Trump and "
            "Russia were accused of being connected"
        ),
        kind=CLAIM,
        speaker="putin",
        cue="said",
        sourcing=NAMED_PERSON,
        source_words="Putin said",
        explanation=(
            "Putin’s own words, in quotation marks, with the neutral cue “said”. It is his "
            "claim: even when a claim happens to be true, the reporter is only passing on "
            "his words."
        ),
    ),
    AnnotationSpec(
        quote=(
            "However, after an investigation conducted in the United States, everyone, "
            "including the US Congress, concluded that it was utter nonsense and that nothing "
            "of the kind had ever happened"
        ),
        kind=CLAIM,
        **PUTIN_POINTED_OUT,
        explanation=(
            "Putin’s claim. Look at the cue: “pointed out” makes it sound like an obvious "
            "truth, where “said” would be neutral. Read on, and check whether the rest of "
            "the article bears out “utter nonsense”."
        ),
    ),
    AnnotationSpec(
        quote="There were no contacts back then, and there are none now",
        kind=CLAIM,
        **PUTIN_POINTED_OUT,
        explanation=(
            "Putin’s denial, the claim at the heart of the story. This quotation has no tag "
            "of its own: it belongs to the speaker named just before it. The article gives no "
            "proof either way."
        ),
    ),
    # Paragraph 5: the background, in the outlet's voice, with two attributed claims.
    AnnotationSpec(
        quote="Trump won in the 2016 Presidential election",
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "A reported fact in the article’s own voice. The reporter gives no source because "
            "it is public record that anyone can check."
        ),
    ),
    AnnotationSpec(
        quote=(
            "interfering in the vote, hurting the Hillary Clinton campaign and aiding her "
            "Republican rival"
        ),
        kind=CLAIM,
        speaker="us_intelligence",
        cue="accused",
        sourcing=UNNAMED,
        source_words="US intelligence officials",
        explanation=(
            "That the officials accused Russia is reported as fact; what they accused it of "
            "is their claim. The officials are not named, so the sourcing is unnamed. "
            "“Accused” tells you it is a charge, not a proven fact."
        ),
    ),
    AnnotationSpec(
        quote="a subsequent years-long investigation led by Special Counsel Robert Mueller",
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "A reported fact: the investigation took place and a named official led it. The "
            "reporter needs no source for it because it is public record."
        ),
    ),
    AnnotationSpec(
        quote=(
            "did not establish that members of the Trump campaign conspired or coordinated "
            "with the Russian government"
        ),
        kind=CLAIM,
        speaker="mueller",
        sourcing=NAMED_ORG,
        source_words="investigation led by Special Counsel Robert Mueller",
        explanation=(
            "The exact words of the investigation’s report, in quotation marks: a named "
            "document. There is no cue like “said”; the quotation marks do the work. “Did not "
            "establish” is careful: it is not the same as proving nothing happened."
        ),
    ),
    # Paragraphs 6 and 7: Trump's side.
    AnnotationSpec(
        quote="In an interview with Fox News last week",
        kind=FACT,
        sourcing=NO_SOURCE,
        explanation=(
            "A reported fact: when and to which TV channel an interview was given. The "
            "channel is named, so you could look the interview up."
        ),
    ),
    AnnotationSpec(
        quote=(
            "the collusion allegations were used by his political opponents to justify "
            "Clinton’s loss"
        ),
        kind=CLAIM,
        speaker="trump",
        cue="explained",
        sourcing=NAMED_PERSON,
        source_words="Trump",
        explanation=(
            "Trump’s claim, put in the reporter’s words rather than his own. The cue "
            "“explained” is loaded: it makes his view sound like the accepted reason, where "
            "“said” or “claimed” would not."
        ),
    ),
    AnnotationSpec(
        quote=(
            "That started off as an excuse for why she lost an election that a lot of people "
            "thought she should have won"
        ),
        kind=CLAIM,
        speaker="trump",
        cue="said",
        sourcing=NAMED_PERSON,
        source_words="Trump said",
        explanation=(
            "Trump’s own words, with the neutral cue “said”. It is his claim about why the "
            "Russia story began; the article gives no evidence for or against it."
        ),
    ),
    AnnotationSpec(
        quote="then she got beaten everywhere, virtually",
        kind=CLAIM,
        speaker="trump",
        cue="adding that",
        sourcing=NAMED_PERSON,
        source_words="Trump said",
        explanation=(
            "Another claim by Trump, attached with “adding that”. It can be checked: Clinton "
            "lost in the Electoral College but won more votes nationwide than Trump."
        ),
    ),
    AnnotationSpec(
        quote="Then they said, ‘Ah, it was Russia,’ they used it as an excuse",
        kind=CLAIM,
        speaker="trump",
        cue="said",
        sourcing=NAMED_PERSON,
        source_words="he said",
        explanation=(
            "Trump’s claim: “he” is Trump, named in the paragraph before. Notice his own vague "
            "source, “they”: he never says who. The single quotation marks show words he "
            "puts in other people’s mouths."
        ),
    ),
    AnnotationSpec(
        quote="the fake news picked it up",
        kind=OPINION,
        speaker="trump",
        cue="said",
        sourcing=NAMED_PERSON,
        source_words="he said",
        explanation=(
            "Trump’s opinion. Calling news outlets “fake news” is a judgement, not something "
            "that can be shown true or false. The reporter only quotes it."
        ),
    ),
    # Paragraph 8: a position with no person and no date behind it.
    AnnotationSpec(
        quote=(
            "it will work with whichever leader is chosen by the American people in the "
            "upcoming November election"
        ),
        kind=CLAIM,
        speaker="moscow",
        cue="stressed",
        sourcing=VAGUE,
        source_words="Moscow",
        explanation=(
            "Who is “Moscow”? The city stands for the Russian government, but no person, "
            "statement or date is given, so the sourcing is vague. “Stressed” means it was "
            "said firmly; “previously” means not at this news conference."
        ),
    ),
    # Paragraphs 9 and 10: Putin's closing position.
    AnnotationSpec(
        quote=(
            "he’s willing to normalize relations with the US, provided that Washington is "
            "willing to respond in kind"
        ),
        kind=CLAIM,
        speaker="putin",
        cue="reiterated",
        sourcing=NAMED_PERSON,
        source_words="Putin",
        explanation=(
            "Putin’s claim, put in the reporter’s words. “Reiterated” tells you he has said "
            "this before. It is a claim about what he will do: time will show whether it "
            "holds."
        ),
    ),
    AnnotationSpec(
        quote=("Russia-US relations after the elections depend primarily on the United States"),
        kind=CLAIM,
        **PUTIN_STRESSED,
        explanation=(
            "Putin’s claim about who decides how the two countries get along; “he” is Putin. "
            "Others could argue the opposite, and the article does not test it. “Stressed” "
            "means he spoke with emphasis."
        ),
    ),
    AnnotationSpec(
        quote=(
            "If the United States is open to building normal relations with Russia, we will "
            "do the same"
        ),
        kind=CLAIM,
        **PUTIN_STRESSED,
        explanation=(
            "Putin’s claim, in the form of a promise: what Russia will do if the US acts "
            "first. It could turn out true or false, so it is a claim, not an opinion."
        ),
    ),
    AnnotationSpec(
        quote="If not, so be it. This is up to the future administration",
        kind=OPINION,
        speaker="putin",
        cue="stressed",
        sourcing=NAMED_PERSON,
        source_words="he stressed",
        explanation=(
            "Putin’s opinion: “so be it” is a shrug, a stance that cannot be true or false. It "
            "has no tag of its own; it carries on the quotation introduced by “he stressed”."
        ),
    ),
)

ARTICLE = ArticleSpec(
    slug="putin-denies-trump-contacts",
    # The text has no headline; this neutral one is ours, not the outlet's.
    title="Putin denies contacts with Trump",
    text_file="putin-denies-trump-contacts.txt",
    # RT published the story on Friday 25 October 2024, the day after the news conference
    # ("on Thursday", 24 October). The text gives no byline and we keep no link to the page,
    # so those stay empty rather than guessed.
    outlet=RT,
    published_on=date(2024, 10, 25),
    sources=SOURCES,
    annotations=ANNOTATIONS,
    # A link to another story, set between two paragraphs; it is not part of this article.
    left_out_lines=("READ MORE: Putin ‘doesn’t remember’ Trump missile threats",),
)
