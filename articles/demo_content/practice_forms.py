# (The articles are typeset with curly quotes and apostrophes; the quotes below must match.)
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

from datetime import date

from articles.demo_content.practice import MILLBROOK_GAZETTE
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
    SourceSpec,
)

# Pair 1: about grade 5-6.

BRIDGE = ArticleSpec(
    slug="practice-millbrook-bridge",
    title="Mill Lane bridge to close for six weeks of repairs (practice article)",
    text_file="practice-millbrook-bridge.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Hannah Price",
    published_on=date(2025, 6, 30),
    sources=(
        SourceSpec(
            "survey",
            "The safety survey",
            "Engineers’ written report on the state of Mill Lane bridge, made in March",
            DOCUMENT,
        ),
        SourceSpec(
            "hughes", "Gareth Hughes", "Councillor responsible for roads in Millbrook", PERSON
        ),
        SourceSpec(
            "buses",
            "Millbrook Bus Company",
            "The company that runs the town’s buses",
            ORGANISATION,
        ),
        SourceSpec(
            "shops",
            "Shop owners on Mill Lane",
            "Some people who run shops near the bridge; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec("ward", "Lena Ward", "Runs the bakery next to the bridge", PERSON),
        SourceSpec(
            "engineer",
            "An engineer on the project",
            "Someone working on the repairs who asked the reporter not to print their name",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote="Mill Lane bridge will close to all traffic for six weeks from 14 July",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states when the closure starts and how long it "
                "lasts, in its own voice. Road closures are announced in public, so anyone "
                "could check."
            ),
        ),
        AnnotationSpec(
            quote="carries about 4,000 cars a day",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact with no source given. The reporter states the number as true, "
                "even though somebody must have counted the cars."
            ),
        ),
        AnnotationSpec(
            quote="Engineers inspected the bridge in March",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the reporter tells you that an inspection happened, and when. "
                "What the inspection found is a different statement in the next sentence."
            ),
        ),
        AnnotationSpec(
            quote="it could become dangerous within two years if nothing is done",
            kind=CLAIM,
            speaker="survey",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="their safety survey",
            explanation=(
                "A claim from a document: “According to” shows these words come from the "
                "engineers’ written findings, not from the reporter. It is a prediction, so it "
                "could turn out to be wrong."
            ),
        ),
        AnnotationSpec(
            quote="the right choice for Millbrook",
            kind=OPINION,
            speaker="hughes",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="Councillor Gareth Hughes",
            explanation=(
                "Gareth Hughes’s opinion, in his own words. Whether the repairs are “the right "
                "choice” is a judgement: people can disagree, but nobody can prove it true or "
                "false."
            ),
        ),
        AnnotationSpec(
            quote="The cracks are getting worse every month",
            kind=CLAIM,
            speaker="hughes",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="he said",
            explanation=(
                "A claim by the councillor: “he” is Gareth Hughes, named at the start of the "
                "paragraph. His quotation is split in two by the words that say who is "
                "speaking, and measuring the cracks would show if it is true."
            ),
        ),
        AnnotationSpec(
            quote="the work would cost £90,000 more than the council first expected",
            kind=CLAIM,
            speaker="hughes",
            cue="admitted",
            sourcing=NAMED_PERSON,
            source_words="He admitted",
            explanation=(
                "Another claim by Gareth Hughes. “Admitted” tells you this is something he "
                "would rather not have to say, which makes it more believable than a boast."
            ),
        ),
        AnnotationSpec(
            quote="its number 3 bus would follow the ring road while the bridge is closed",
            kind=CLAIM,
            speaker="buses",
            cue="said",
            sourcing=NAMED_ORG,
            source_words="The Millbrook Bus Company",
            explanation=(
                "A claim by a named company about its own plans. It is easy to check: the new "
                "timetable will show which way the bus goes."
            ),
        ),
        AnnotationSpec(
            quote="The journey to the station will take about ten minutes longer",
            kind=CLAIM,
            speaker="buses",
            cue="warned",
            sourcing=NAMED_ORG,
            source_words="the company warned",
            explanation=(
                "A claim, and a prediction: the tag after the sentence tells you whose it is. "
                "“Warned” shows the bus company thinks this is bad news for passengers."
            ),
        ),
        AnnotationSpec(
            quote="the closure will damage their business",
            kind=CLAIM,
            speaker="shops",
            cue="say",
            sourcing=VAGUE,
            source_words="Shop owners on Mill Lane",
            explanation=(
                "A claim by a group: which shop owners, and how many of them? The article does "
                "not say, so you cannot tell how many people really think this."
            ),
        ),
        AnnotationSpec(
            quote="Closing the bridge in the summer holidays is a terrible idea",
            kind=OPINION,
            speaker="ward",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Lena Ward",
            explanation=(
                "Lena Ward’s opinion: “a terrible idea” is a judgement, not something you could "
                "check. We learn that she runs a bakery by the bridge, which tells you why she "
                "cares."
            ),
        ),
        AnnotationSpec(
            quote="the repairs could be finished a week early",
            kind=CLAIM,
            speaker="engineer",
            cue="claimed",
            sourcing=UNNAMED,
            source_words="One engineer working on the project",
            explanation=(
                "A claim from someone who asked to stay anonymous, so you cannot check who they "
                "are or how they know. “Claimed” shows the reporter passes it on without "
                "vouching for it."
            ),
        ),
        AnnotationSpec(
            quote=(
                "People walking or cycling will still be able to cross the bridge on a "
                "temporary footpath"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact, stated by the newspaper without a source. It is useful "
                "information that the reporter presents as settled."
            ),
        ),
    ),
)

PLAYGROUND = ArticleSpec(
    slug="practice-millbrook-playground",
    title="New playground planned for Hollins Park (practice article)",
    text_file="practice-millbrook-playground.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Owen Clarke",
    published_on=date(2025, 5, 12),
    sources=(
        SourceSpec(
            "report",
            "The playground inspection report",
            "Council staff’s written report on the swings and slide in Hollins Park",
            DOCUMENT,
        ),
        SourceSpec("lopes", "Maria Lopes", "Councillor responsible for parks in Millbrook", PERSON),
        SourceSpec(
            "friends",
            "Friends of Hollins Park",
            "A volunteer group that looks after the park",
            ORGANISATION,
        ),
        SourceSpec(
            "teenagers",
            "Some teenagers",
            "Young people in Millbrook; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec("brennan", "Kai Brennan", "A 15-year-old who lives opposite the park", PERSON),
        SourceSpec(
            "town_hall",
            "A person who works at the town hall",
            "Someone the reporter spoke to who asked not to be named",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote="Millbrook Town Council will build a new playground in Hollins Park next spring",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states the plan and when it will happen, in its "
                "own voice. A council’s building plans are public, so anyone could check."
            ),
        ),
        AnnotationSpec(
            quote="has the only playground in the north of the town",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact with no source given. The reporter states it as true, and a "
                "map of the town would show whether it is."
            ),
        ),
        AnnotationSpec(
            quote="Council staff inspected the swings and slide in April",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the reporter tells you that an inspection happened, and when. "
                "What the inspection found comes in the next sentence, as a separate statement."
            ),
        ),
        AnnotationSpec(
            quote="the slide could become dangerous within a year if it is not replaced",
            kind=CLAIM,
            speaker="report",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="their report",
            explanation=(
                "A claim from a document: “According to” shows these words come from the "
                "council staff’s written findings, not from the reporter. It is a prediction, "
                "so it could turn out to be wrong."
            ),
        ),
        AnnotationSpec(
            quote="the best news for families in years",
            kind=OPINION,
            speaker="lopes",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="Councillor Maria Lopes",
            explanation=(
                "Maria Lopes’s opinion, in her own words. “The best news” is a judgement: "
                "people can disagree, but nobody can prove it true or false."
            ),
        ),
        AnnotationSpec(
            quote="The old slide is falling apart",
            kind=CLAIM,
            speaker="lopes",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="she said",
            explanation=(
                "A claim by the councillor: “she” is Maria Lopes, named at the start of the "
                "paragraph. Her quotation is split in two by the words that say who is "
                "speaking, and a look at the slide would show if it is true."
            ),
        ),
        AnnotationSpec(
            quote="the playground would not be ready until June",
            kind=CLAIM,
            speaker="lopes",
            cue="admitted",
            sourcing=NAMED_PERSON,
            source_words="She admitted",
            explanation=(
                "Another claim by Maria Lopes. “Admitted” tells you this is something she would "
                "rather not have to say, which makes it more believable than a boast."
            ),
        ),
        AnnotationSpec(
            quote="it had raised £5,000 for a swing that wheelchair users can ride",
            kind=CLAIM,
            speaker="friends",
            cue="said",
            sourcing=NAMED_ORG,
            source_words="Friends of Hollins Park",
            explanation=(
                "A claim by a named group of volunteers about its own money. The reporter did "
                "not count it: the group’s accounts would show whether it is true."
            ),
        ),
        AnnotationSpec(
            quote="The park will be noisy and muddy while the building work goes on",
            kind=CLAIM,
            speaker="friends",
            cue="warned",
            sourcing=NAMED_ORG,
            source_words="the group warned",
            explanation=(
                "A claim, and a prediction: the tag after the sentence tells you whose it is. "
                "“Warned” shows the volunteers think this is bad news for people who use the "
                "park."
            ),
        ),
        AnnotationSpec(
            quote="few children over the age of eight use the playground",
            kind=CLAIM,
            speaker="teenagers",
            cue="say",
            sourcing=VAGUE,
            source_words="Some teenagers",
            explanation=(
                "A claim by a group: which young people, and how many of them? The article does "
                "not say, so you cannot tell how many really think this."
            ),
        ),
        AnnotationSpec(
            quote="A skate park would be much more exciting for people my age",
            kind=OPINION,
            speaker="brennan",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Kai Brennan",
            explanation=(
                "Kai Brennan’s opinion: “much more exciting” is a judgement, not something you "
                "could check. We learn that he is 15 and lives opposite the park, which tells "
                "you why he cares."
            ),
        ),
        AnnotationSpec(
            quote="the skate park idea had been turned down twice before",
            kind=CLAIM,
            speaker="town_hall",
            cue="claimed",
            sourcing=UNNAMED,
            source_words="A person who works at the town hall",
            explanation=(
                "A claim from someone who asked to stay anonymous, so you cannot check who they "
                "are or how they know. “Claimed” shows the reporter passes it on without "
                "vouching for it."
            ),
        ),
        AnnotationSpec(
            quote=(
                "The rest of the park, including the tennis courts and the café, will stay open "
                "while the new playground is built"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact, stated by the newspaper without a source. It is useful "
                "information for park visitors that the reporter presents as settled."
            ),
        ),
    ),
)

# Pair 2: about grade 8-9.

CLINIC = ArticleSpec(
    slug="practice-millbrook-clinic",
    title="Health centre to stop Saturday appointments (practice article)",
    text_file="practice-millbrook-clinic.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Marta Kowalczyk",
    published_on=date(2025, 2, 10),
    sources=(
        SourceSpec(
            "letter",
            "The letter to patients",
            "Letter from the Station Road Health Centre sent to every patient last week",
            DOCUMENT,
        ),
        SourceSpec(
            "sorensen",
            "Nadia Sorensen",
            "Doctor, senior partner at the Station Road Health Centre",
            PERSON,
        ),
        SourceSpec(
            "forum",
            "Millbrook Patients’ Forum",
            "A group that represents people who use the town’s surgeries",
            ORGANISATION,
        ),
        SourceSpec(
            "patients",
            "Many patients",
            "People registered at the centre; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec("castle", "Brian Castle", "Electrician, 41, who works in Hartwell", PERSON),
        SourceSpec(
            "nurse",
            "A nurse at the centre",
            "Someone on the centre’s staff who asked not to be named",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote="will stop opening on Saturday mornings from 1 March",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states the change and its date in its own "
                "voice. Why the change is happening is another matter, and the article comes "
                "to it later."
            ),
        ),
        AnnotationSpec(
            quote="has offered weekend appointments since 2016",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact about the centre’s past, given without a source. The reporter "
                "treats it as background that nobody disputes."
            ),
        ),
        AnnotationSpec(
            quote="the centre can no longer recruit enough doctors to cover weekend shifts",
            kind=CLAIM,
            speaker="letter",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="the letter",
            explanation=(
                "A claim from a document: “According to” shows that the reporter is passing on "
                "what the centre wrote, not checking it. A written source can be read again, "
                "but it still only gives one side."
            ),
        ),
        AnnotationSpec(
            quote="difficult but unavoidable",
            kind=OPINION,
            speaker="sorensen",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="Dr Nadia Sorensen",
            explanation=(
                "The doctor’s opinion, in her own words: “difficult” and “unavoidable” are "
                "judgements about the decision. Others could reasonably judge it differently."
            ),
        ),
        AnnotationSpec(
            quote="Most of our patients need us between Monday and Friday, not at the weekend",
            kind=CLAIM,
            speaker="sorensen",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="she said",
            explanation=(
                "A claim, and “she” is Nadia Sorensen, named in the sentence before. The "
                "centre’s booking records could show whether it is true."
            ),
        ),
        AnnotationSpec(
            quote="the centre had not consulted patients before making the change",
            kind=CLAIM,
            speaker="sorensen",
            cue="admitted",
            sourcing=NAMED_PERSON,
            source_words="she admitted",
            explanation=(
                "A claim the doctor made against her own side. “Admitted” tells you she "
                "conceded something awkward, not that she announced good news."
            ),
        ),
        AnnotationSpec(
            quote="more than 300 patients had signed a petition asking the centre to think again",
            kind=CLAIM,
            speaker="forum",
            cue="claimed",
            sourcing=NAMED_ORG,
            source_words="The forum",
            explanation=(
                "A claim by a named organisation. “Claimed” reminds you that the reporter has "
                "not counted the signatures: the number is the group’s."
            ),
        ),
        AnnotationSpec(
            quote=(
                "Closing on Saturdays will push more people towards the hospital’s emergency "
                "department"
            ),
            kind=CLAIM,
            speaker="forum",
            cue="warned",
            sourcing=NAMED_ORG,
            source_words="the forum warned",
            explanation=(
                "A claim about the future, from the tag that follows the sentence. It is a "
                "prediction that hospital figures could prove right or wrong, so it is not an "
                "opinion."
            ),
        ),
        AnnotationSpec(
            quote="it is already difficult to get an appointment during the week",
            kind=CLAIM,
            speaker="patients",
            cue="say",
            sourcing=VAGUE,
            source_words="Many patients",
            explanation=(
                "A claim by a group that could be large or small: how many is “many”? The "
                "article names only one of them, so you cannot tell how widely this is felt."
            ),
        ),
        AnnotationSpec(
            quote="taking away Saturdays is completely unfair on working people",
            kind=OPINION,
            speaker="castle",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Brian Castle",
            explanation=(
                "Brian Castle’s opinion: “unfair” is a judgement, not a fact to check. His "
                "quotation is interrupted by the words naming him, and it carries on after them."
            ),
        ),
        AnnotationSpec(
            quote="two doctors had left in the past year and had not been replaced",
            kind=CLAIM,
            speaker="nurse",
            cue="said",
            sourcing=UNNAMED,
            source_words="A nurse at the centre",
            explanation=(
                "A claim from someone whose name is kept out of the paper. We learn why, but "
                "not who, so you have to trust the reporter’s judgement of them."
            ),
        ),
        AnnotationSpec(
            quote="The change is expected to save the centre approximately £60,000 a year",
            kind=CLAIM,
            cue="is expected",
            sourcing=NO_SOURCE,
            explanation=(
                "Expected by whom? Nobody is named, not even vaguely, so there is no source at "
                "all. A forecast about money could turn out wrong, so it is a claim."
            ),
        ),
        AnnotationSpec(
            quote=(
                "The out-of-hours service at Millbrook General Hospital will continue to answer "
                "urgent medical calls at weekends"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact in the newspaper’s own voice. It is practical advice for "
                "readers, and the reporter vouches for it without naming anyone."
            ),
        ),
    ),
)

POOL = ArticleSpec(
    slug="practice-millbrook-pool",
    title="Swimming prices to rise at Millbrook Leisure Centre (practice article)",
    text_file="practice-millbrook-pool.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Daniel Osei",
    published_on=date(2025, 3, 3),
    sources=(
        SourceSpec(
            "report",
            "The financial report",
            "Report presented to the leisure centre’s board last week",
            DOCUMENT,
        ),
        SourceSpec("whitlock", "Aaron Whitlock", "Manager of Millbrook Leisure Centre", PERSON),
        SourceSpec(
            "club",
            "Millbrook Swimming Club",
            "A club that trains about 150 young swimmers at the pool",
            ORGANISATION,
        ),
        SourceSpec(
            "swimmers",
            "Some regular swimmers",
            "People who use the pool; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec("ndlovu", "Grace Ndlovu", "Primary teacher, 52, who swims every day", PERSON),
        SourceSpec(
            "lifeguard",
            "A lifeguard at the centre",
            "Someone on the centre’s staff who asked not to be named",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote=(
                "will increase the price of an adult swimming session from £4.50 to £5.80 "
                "from 1 April"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states the new price and its date in its own "
                "voice. Why prices are rising is another matter, and the article comes to it "
                "later."
            ),
        ),
        AnnotationSpec(
            quote="operates the only public swimming pool within twelve miles of the town",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact about the area, given without a source. The reporter treats it "
                "as background that a map would confirm."
            ),
        ),
        AnnotationSpec(
            quote="the cost of heating the pool has almost doubled in the past two years",
            kind=CLAIM,
            speaker="report",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="a financial report",
            explanation=(
                "A claim from a document: “According to” shows that the reporter is passing on "
                "what the report says, not checking it. Energy bills could show whether it is "
                "true."
            ),
        ),
        AnnotationSpec(
            quote="reasonable for a clean, comfortable pool",
            kind=OPINION,
            speaker="whitlock",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="Aaron Whitlock",
            explanation=(
                "The manager’s opinion, in his own words: “reasonable” is a judgement about the "
                "price. Swimmers could reasonably judge it differently."
            ),
        ),
        AnnotationSpec(
            quote=(
                "We have kept our prices unchanged for four years, longer than any other pool "
                "in the county"
            ),
            kind=CLAIM,
            speaker="whitlock",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="he said",
            explanation=(
                "A claim, and “he” is Aaron Whitlock, named in the sentence before. Other "
                "pools’ price lists could show whether it is true."
            ),
        ),
        AnnotationSpec(
            quote=(
                "the centre had not compared its prices with those of private fitness clubs in "
                "the area"
            ),
            kind=CLAIM,
            speaker="whitlock",
            cue="admitted",
            sourcing=NAMED_PERSON,
            source_words="he admitted",
            explanation=(
                "A claim the manager made against his own side. “Admitted” tells you he "
                "conceded something awkward, not that he announced good news."
            ),
        ),
        AnnotationSpec(
            quote=(
                "its membership fees would have to rise by a third to cover the cost of hiring "
                "lanes"
            ),
            kind=CLAIM,
            speaker="club",
            cue="claimed",
            sourcing=NAMED_ORG,
            source_words="The club",
            explanation=(
                "A claim by a named organisation. “Claimed” reminds you that the reporter has "
                "not done the sums: the figure is the swimmers’ organisation’s own."
            ),
        ),
        AnnotationSpec(
            quote="Higher prices will discourage families from taking up the sport",
            kind=CLAIM,
            speaker="club",
            cue="warned",
            sourcing=NAMED_ORG,
            source_words="the club warned",
            explanation=(
                "A claim about the future, from the tag that follows the sentence. It is a "
                "prediction that membership numbers could prove right or wrong, so it is not an "
                "opinion."
            ),
        ),
        AnnotationSpec(
            quote=(
                "the pool is already too crowded on weekday mornings for anyone to swim lengths "
                "properly"
            ),
            kind=CLAIM,
            speaker="swimmers",
            cue="say",
            sourcing=VAGUE,
            source_words="Some regular swimmers",
            explanation=(
                "A claim by a group that could be large or small: how many is “some”? The "
                "article names only one of them, so you cannot tell how widely this is felt."
            ),
        ),
        AnnotationSpec(
            quote="this increase feels like a punishment for the people who actually use the pool",
            kind=OPINION,
            speaker="ndlovu",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Grace Ndlovu",
            explanation=(
                "Grace Ndlovu’s opinion: “feels like a punishment” says how she sees the price, "
                "not a fact to check. Her quotation is interrupted by the words naming her, and "
                "it carries on after them."
            ),
        ),
        AnnotationSpec(
            quote="the changing rooms had been closed twice this year because of faulty heating",
            kind=CLAIM,
            speaker="lifeguard",
            cue="said",
            sourcing=UNNAMED,
            source_words="A lifeguard at the centre",
            explanation=(
                "A claim from someone whose name is kept out of the paper. We learn why, but "
                "not who, so you have to trust the reporter’s judgement of them."
            ),
        ),
        AnnotationSpec(
            quote=(
                "The new prices are expected to generate approximately £30,000 in additional "
                "income every year"
            ),
            kind=CLAIM,
            cue="are expected",
            sourcing=NO_SOURCE,
            explanation=(
                "Expected by whom? Nobody is named, not even vaguely, so there is no source at "
                "all. A forecast about money could turn out wrong, so it is a claim."
            ),
        ),
        AnnotationSpec(
            quote="Children under 12 will continue to swim for free during school holidays",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact in the newspaper’s own voice. It is practical information for "
                "families, and the reporter vouches for it without naming anyone."
            ),
        ),
    ),
)

# Pair 3: about grade 11-12.

BUSES = ArticleSpec(
    slug="practice-millbrook-buses",
    title="Council proposes ending evening buses to outlying villages (practice article)",
    text_file="practice-millbrook-buses.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Rebecca Lindqvist",
    published_on=date(2025, 8, 6),
    sources=(
        SourceSpec(
            "consultation",
            "The consultation document",
            "The district council’s published case for cutting the evening routes",
            DOCUMENT,
        ),
        SourceSpec(
            "fairweather",
            "Imogen Fairweather",
            "Councillor, the cabinet member responsible for transport",
            PERSON,
        ),
        SourceSpec(
            "hartwell",
            "Hartwell Coaches",
            "The bus company that runs the evening routes under contract",
            ORGANISATION,
        ),
        SourceSpec(
            "campaigners",
            "Campaigners in the affected villages",
            "People opposing the cuts; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec(
            "marsh",
            "Eleanor Marsh",
            "Chair of the Lower Fenwick Village Association",
            PERSON,
        ),
        SourceSpec(
            "officer",
            "A senior council officer",
            "Someone on the council’s staff who spoke on condition of anonymity",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote=(
                "has proposed withdrawing funding from four evening bus routes that connect the "
                "town with surrounding villages"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states, in its own voice, what the council has "
                "proposed. Whether the proposal is wise is a separate question that other "
                "statements in the article argue about."
            ),
        ),
        AnnotationSpec(
            quote="a public consultation that opened on Monday and runs until 30 September",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact with dates anyone could verify, given without a source. "
                "Consultations are published, so the reporter needs nobody to vouch for it."
            ),
        ),
        AnnotationSpec(
            quote=(
                "average occupancy on the affected services has declined to fewer than six "
                "passengers per journey"
            ),
            kind=CLAIM,
            speaker="consultation",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="the consultation document",
            explanation=(
                "A claim from a document that argues for the cuts: “According to” marks the "
                "figure as the document’s, not the reporter’s. A source with a case to make may "
                "choose its numbers carefully."
            ),
        ),
        AnnotationSpec(
            quote="a regrettable but responsible use of limited public money",
            kind=OPINION,
            speaker="fairweather",
            cue="described",
            sourcing=NAMED_PERSON,
            source_words="Councillor Imogen Fairweather",
            explanation=(
                "Imogen Fairweather’s opinion: “regrettable” and “responsible” are judgements, "
                "not things anyone could measure. The cue “described” introduces how she sees "
                "the proposal."
            ),
        ),
        AnnotationSpec(
            quote="buses that are, for most of the evening, almost empty",
            kind=CLAIM,
            speaker="fairweather",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="she said",
            explanation=(
                "A claim inside a quotation; “she” refers back to Imogen Fairweather, named in "
                "the previous sentence. Passenger counts could confirm or contradict it."
            ),
        ),
        AnnotationSpec(
            quote=(
                "the council had not yet assessed how many residents depend on the services to "
                "travel to and from work"
            ),
            kind=CLAIM,
            speaker="fairweather",
            cue="admitted",
            sourcing=NAMED_PERSON,
            source_words="She admitted",
            explanation=(
                "A claim that weakens the councillor’s own case. “Admitted”, together with "
                "“however”, signals a reluctant concession rather than a boast."
            ),
        ),
        AnnotationSpec(
            quote="it would attempt to maintain at least one of the routes on a commercial basis",
            kind=CLAIM,
            speaker="hartwell",
            cue="said",
            sourcing=NAMED_ORG,
            source_words="Hartwell Coaches",
            explanation=(
                "A claim by a named company, made in a written statement about its own "
                "intentions. Promises to “attempt” something are easy to make and hard to hold "
                "anyone to."
            ),
        ),
        AnnotationSpec(
            quote="fares on that service would probably have to increase substantially",
            kind=CLAIM,
            speaker="hartwell",
            cue="warned",
            sourcing=NAMED_ORG,
            source_words="the company warned",
            explanation=(
                "A prediction, so a claim rather than a fact: future fares will show if it was "
                "right. “Warned” frames it as unwelcome news for passengers."
            ),
        ),
        AnnotationSpec(
            quote="the figures understate genuine demand",
            kind=CLAIM,
            speaker="campaigners",
            cue="argue",
            sourcing=VAGUE,
            source_words="Campaigners in the affected villages",
            explanation=(
                "A claim from a loosely defined group: nobody in it is named at this point, and "
                "you are not told how many there are. “Argue” shows it is one side of a dispute."
            ),
        ),
        AnnotationSpec(
            quote="Passengers have drifted away precisely because the buses became so infrequent",
            kind=CLAIM,
            speaker="marsh",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Eleanor Marsh",
            explanation=(
                "A claim about cause and effect, from a named person whose role is given. It "
                "could be tested by comparing passenger numbers before and after each timetable "
                "cut."
            ),
        ),
        AnnotationSpec(
            quote="withdrawing them altogether would be nothing short of shameful",
            kind=OPINION,
            speaker="marsh",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Eleanor Marsh",
            explanation=(
                "An opinion: “shameful” is a moral judgement that no evidence could settle. It "
                "is the second half of an interrupted quotation, so the words naming the "
                "speaker come before it."
            ),
        ),
        AnnotationSpec(
            quote="two further routes were already under review",
            kind=CLAIM,
            speaker="officer",
            cue="claimed",
            sourcing=UNNAMED,
            source_words="A senior council officer",
            explanation=(
                "A claim from an insider who would not be identified, so readers must rely on "
                "the reporter’s trust in them. “Claimed” keeps the newspaper at a distance from "
                "it."
            ),
        ),
        AnnotationSpec(
            quote="The proposal is expected to save approximately £180,000 annually",
            kind=CLAIM,
            cue="is expected",
            sourcing=NO_SOURCE,
            explanation=(
                "Expected by whom? The passive “is expected” hides whoever made the forecast, so "
                "no source is given at all. A saving that has not happened yet is a claim."
            ),
        ),
        AnnotationSpec(
            quote="The council’s cabinet will take a final decision in November",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact about the timetable for the decision. Meeting dates are public, "
                "so the newspaper states it in its own voice."
            ),
        ),
    ),
)

FLOOD = ArticleSpec(
    slug="practice-millbrook-flood",
    title="Weir Road flood barrier delayed until spring (practice article)",
    text_file="practice-millbrook-flood.txt",
    outlet=MILLBROOK_GAZETTE,
    byline="Tomasz Nowak",
    published_on=date(2025, 5, 21),
    sources=(
        SourceSpec(
            "review",
            "The independent review",
            "Review of the council’s response to the February flooding, published last week",
            DOCUMENT,
        ),
        SourceSpec(
            "delaney",
            "Marcus Delaney",
            "The council’s head of environmental services",
            PERSON,
        ),
        SourceSpec(
            "trust",
            "Millbrook River Trust",
            "An environmental charity that monitors water levels in the valley",
            ORGANISATION,
        ),
        SourceSpec(
            "homeowners",
            "Homeowners along Weir Road",
            "People whose houses are near the river; the article does not say who or how many",
            VAGUE_SOURCE,
        ),
        SourceSpec(
            "rahman",
            "Fatima Rahman",
            "Owner of a bakery on Weir Road that was flooded",
            PERSON,
        ),
        SourceSpec(
            "engineer",
            "An engineer familiar with the project",
            "Someone who knows the barrier plans and spoke on condition of anonymity",
            UNNAMED_SOURCE,
        ),
    ),
    annotations=(
        AnnotationSpec(
            quote=(
                "Construction of a permanent flood barrier along the River Mill has been "
                "postponed until next spring"
            ),
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact: the newspaper states, in its own voice, that the work has been "
                "put off. Whether the delay is justified is a separate question that other "
                "statements in the article argue about."
            ),
        ),
        AnnotationSpec(
            quote="a severe storm flooded more than 120 homes and businesses on Weir Road",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact with a number anyone could verify, given without a source. "
                "Damage on this scale is a matter of record, so the reporter needs nobody to "
                "vouch for it."
            ),
        ),
        AnnotationSpec(
            quote="flood warnings reached some households up to four hours late",
            kind=CLAIM,
            speaker="review",
            cue="According to",
            sourcing=NAMED_ORG,
            source_words="an independent review",
            explanation=(
                "A claim from a document: “According to” marks the finding as the review’s, not "
                "the reporter’s. Being independent is a point in its favour, but its findings can "
                "still be challenged."
            ),
        ),
        AnnotationSpec(
            quote="frustrating but unavoidable if the barrier is to be built properly",
            kind=OPINION,
            speaker="delaney",
            cue="called",
            sourcing=NAMED_PERSON,
            source_words="Marcus Delaney",
            explanation=(
                "Marcus Delaney’s opinion: “frustrating” and “unavoidable” are judgements, not "
                "things anyone could measure. The cue “called” introduces how he sees the delay."
            ),
        ),
        AnnotationSpec(
            quote="The river rose faster in February than any of our computer models had predicted",
            kind=CLAIM,
            speaker="delaney",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="he said",
            explanation=(
                "A claim inside a quotation; “he” refers back to Marcus Delaney, named in the "
                "previous sentence. River gauge records and the models themselves could confirm "
                "or contradict it."
            ),
        ),
        AnnotationSpec(
            quote=(
                "the original design had underestimated the height that an exceptional flood "
                "could reach"
            ),
            kind=CLAIM,
            speaker="delaney",
            cue="admitted",
            sourcing=NAMED_PERSON,
            source_words="He admitted",
            explanation=(
                "A claim that weakens the council official’s own case. “Admitted”, together with "
                "“however”, signals a reluctant concession rather than a boast."
            ),
        ),
        AnnotationSpec(
            quote="it would install additional river gauges upstream at its own expense",
            kind=CLAIM,
            speaker="trust",
            cue="said",
            sourcing=NAMED_ORG,
            source_words="The Millbrook River Trust",
            explanation=(
                "A claim by a named charity about its own intentions. Whether the gauges appear "
                "upstream in the coming months will show if it kept its word."
            ),
        ),
        AnnotationSpec(
            quote="gauges alone could not prevent properties from flooding again",
            kind=CLAIM,
            speaker="trust",
            cue="warned",
            sourcing=NAMED_ORG,
            source_words="the charity warned",
            explanation=(
                "A claim about what gauges can and cannot do, which experts could test. "
                "“Warned” frames it as a caution to readers who might expect too much."
            ),
        ),
        AnnotationSpec(
            quote="the council has disregarded warnings about the river for more than a decade",
            kind=CLAIM,
            speaker="homeowners",
            cue="contend",
            sourcing=VAGUE,
            source_words="Homeowners along Weir Road",
            explanation=(
                "A claim from a loosely defined group: nobody in it is named at this point, and "
                "you are not told how many there are. “Contend” shows it is one side of a "
                "dispute."
            ),
        ),
        AnnotationSpec(
            quote="We reported blocked drains repeatedly throughout the autumn",
            kind=CLAIM,
            speaker="rahman",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Fatima Rahman",
            explanation=(
                "A claim about past events, from a named person whose connection to the flood "
                "is given. The council’s records of reported problems could confirm it."
            ),
        ),
        AnnotationSpec(
            quote="the council’s response to this disaster has been utterly disgraceful",
            kind=OPINION,
            speaker="rahman",
            cue="said",
            sourcing=NAMED_PERSON,
            source_words="said Fatima Rahman",
            explanation=(
                "An opinion: “disgraceful” is a moral judgement that no evidence could settle. It "
                "is the second half of an interrupted quotation, so the words naming the "
                "speaker come before it."
            ),
        ),
        AnnotationSpec(
            quote=(
                "the revised barrier could cost almost twice the original estimate of £2.4 million"
            ),
            kind=CLAIM,
            speaker="engineer",
            cue="claimed",
            sourcing=UNNAMED,
            source_words="An engineer familiar with the project",
            explanation=(
                "A claim from an insider who would not be identified, so readers must rely on "
                "the reporter’s trust in them. “Claimed” keeps the newspaper at a distance from "
                "it."
            ),
        ),
        AnnotationSpec(
            quote="construction is expected to take approximately eight months",
            kind=CLAIM,
            cue="is expected",
            sourcing=NO_SOURCE,
            explanation=(
                "Expected by whom? The passive “is expected” hides whoever made the forecast, so "
                "no source is given at all. A schedule for work that has not begun is a claim."
            ),
        ),
        AnnotationSpec(
            quote="The council’s planning committee will consider the revised design in January",
            kind=FACT,
            sourcing=NO_SOURCE,
            explanation=(
                "A reported fact about the timetable for the decision. Committee agendas are "
                "public, so the newspaper states it in its own voice."
            ),
        ),
    ),
)

# The two articles of each pair: the same level, length and build, on different topics.
PARALLEL_FORMS = ((BRIDGE, PLAYGROUND), (CLINIC, POOL), (BUSES, FLOOD))
PRACTICE_FORM_ARTICLES = tuple(spec for pair in PARALLEL_FORMS for spec in pair)
