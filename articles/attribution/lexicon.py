"""Words the proposer recognises: the verbs that report speech or belief, and the nouns that
say what kind of speaker a source is. Lemmas, lower case."""


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that introduce what someone says or writes: they take a quotation or a clause.
SPEECH_CUES = words(
    """
    say tell add claim argue state note explain announce warn insist deny admit acknowledge
    suggest write tweet post report reveal allege ask reply respond agree vow promise urge
    complain contend maintain assert declare stress emphasise emphasize recall concede testify
    speculate conclude observe remark mention indicate caution predict recommend propose
    confirm estimate reiterate counter retort quip joke boast lament concur clarify affirm
    assure inform advise disclose divulge repeat continue accuse charge threaten pledge
    signal answer acknowledge comment describe instruct
    """
)

# Verbs of finding, showing and believing: a cue only with a clause ("found that …").
CLAUSE_CUES = words(
    """
    find show believe think feel hope fear expect worry know reckon guess doubt understand
    determine discover calculate project forecast imply demonstrate prove suspect wonder
    conclude establish
    """
)

# Phrasal cues: the verb and the particle it needs.
PHRASAL_CUES = {"point": "out", "go": "on", "make": "clear", "spell": "out", "sum": "up"}

# Cue verbs that say the speaker's stance, not a checkable assertion.
OPINION_CUES = words(
    "believe think feel hope fear worry urge recommend argue reckon guess doubt wish"
)

DOCUMENT_NOUNS = words(
    """
    report study book statement letter survey document memo filing lawsuit complaint analysis
    poll data record records website post paper article review audit investigation inquiry
    research figures numbers email e-mail message note transcript release announcement
    indictment ruling judgment judgement order bill law guidance notice minutes affidavit
    court_filing tweet video footage plan proposal budget estimate estimates assessment
    """
)

ORGANISATION_NOUNS = words(
    """
    company council government ministry department police agency office committee university
    hospital court union party authority administration campaign firm bank board service
    commission organisation organization group association federation institute school
    district city county state kremlin team club force army navy military embassy council
    trust charity foundation network company's corporation
    """
)

UNNAMED_NOUNS = words(
    """
    official officials source sources spokesman spokeswoman spokesperson aide aides insider
    insiders employee employees officer officers diplomat diplomats adviser advisers advisor
    advisors person people familiar staffer staffers worker workers someone executive
    executives member members
    """
)

VAGUE_NOUNS = words(
    """
    critic critics expert experts analyst analysts observer observers resident residents
    people many some others report reports media opponent opponents supporter supporters
    scientist scientists researcher researchers economist economists commentator commentators
    parent parents neighbour neighbours neighbor neighbors campaigner campaigners activist
    activists they everyone everybody most few several skeptic skeptics sceptics sceptic
    """
)

TITLES = words(
    """
    mr mrs ms miss dr prof professor sir dame lord lady sen senator rep representative gov
    governor president vice prime minister secretary chancellor mayor judge justice gen
    general col colonel capt captain lt lieutenant sgt sergeant rev reverend father chief
    commissioner councillor councilor inspector superintendent detective officer
    """
)

# Words that mark a judgement rather than an assertion that could be checked.
EVALUATIVE = words(
    """
    good bad great terrible awful wrong right best worst unfair fair ridiculous nonsense
    disgraceful wonderful shameful outrageous excellent amazing fantastic horrible dreadful
    appalling brilliant stupid silly absurd unacceptable disappointing disappointed delighted
    proud sad happy glad pleased thrilled shocking shocked frustrating frustrated distressing
    tragic important vital crucial essential beautiful ugly better worse love hate
    should must ought deserve deserves need needs
    """
)
