"""Studies: the class report of a pre/post study, its research export and codebook, and the
tests a student has open.

The report reads the study's rows with a fixed number of queries (.values(), whatever the
number of students) and does the statistics in Python with quiz.stats: t intervals, paired
effects and signal detection are not arithmetic SQL can do.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from quiz.models import (
    AnsweredItem,
    Choice,
    Enrollment,
    Question,
    QuizQuestion,
    SittingItem,
    Skill,
    Study,
    StudyParticipant,
    StudySitting,
)
from quiz.stats import (
    Detection,
    Interval,
    PairedEffect,
    bounded,
    mean_ci,
    paired_effect,
    point_biserial,
    sdt,
)

OVERALL = "overall"
# The skills of the report, then all items together.
SKILL_KEYS = [*(skill.value for skill in Skill), OVERALL]
PHASES = [phase.value for phase in Study.Phase]
# Classification questions are generated with their choices in the order of
# quiz.services.generation.KIND_CHOICES, positions from 1: a claim, a reported fact, an opinion.
CLAIM_POSITION = 1
FACT_POSITION = 2
# Item quality: an item is flagged when its point-biserial against the rest of the pre-test is
# below this; with fewer takers than ITEM_MIN_TAKERS it is not computed.
DISCRIMINATION_FLOOR = 0.1
ITEM_MIN_TAKERS = 5


@dataclass(frozen=True)
class PhaseSummary:
    """A phase of the study as it stands: sittings made and finished, and its means per skill
    over every finished sitting (not only the students who took both tests)."""

    phase: str
    label: str
    opened: bool
    sittings: int
    finished: int
    means: dict[str, Interval]  # by skill key (SKILL_KEYS)


@dataclass(frozen=True)
class SkillResult:
    """One skill (or "overall"): pre to post over the students who took both, and retention."""

    skill: str
    label: str
    effect: PairedEffect  # pre -> post
    retention: Interval  # mean retention percent of students who took post and retention
    retention_effect: PairedEffect  # post -> retention, same students
    share_kept: float | None  # (retention - pre) / (post - pre) over students who took all three
    retention_sentence: str


@dataclass(frozen=True)
class FormDifficulty:
    """Mean overall percent on each form at the pre-test, when the orders put each form
    before a different half of the class."""

    a: Interval
    b: Interval
    difference: float | None  # a - b, in percentage points
    sentence: str


@dataclass(frozen=True)
class StudentDetection:
    pseudonym: str
    phase: str
    hits: int
    claims: int
    false_alarms: int
    facts: int
    detection: Detection | None


@dataclass(frozen=True)
class ClassDetection:
    """The class at one phase: means of the students' d', c, H and F."""

    phase: str
    n: int
    d_prime: Interval
    criterion: Interval
    hit_rate: float | None
    false_alarm_rate: float | None


@dataclass(frozen=True)
class Discernment:
    """Telling claims from reported facts, at the pre-test and the post-test."""

    pre: ClassDetection
    post: ClassDetection
    d_prime_change: Interval  # post - pre over students with both
    criterion_change: Interval
    students: list[StudentDetection]
    sentence: str


@dataclass(frozen=True)
class ItemQuality:
    """A pre-test item: takers, percent right and its discrimination against the rest."""

    question_id: int
    prompt: str
    form: str
    skill: str
    kind: str
    takers: int
    percent: float | None
    discrimination: float | None
    flagged: bool
    reason: str


@dataclass(frozen=True)
class StudentScores:
    """One participant's percent right per skill key at each phase they finished."""

    pseudonym: str
    order: str
    percents: dict[str, dict[str, float | None]]  # phase -> skill key -> percent


@dataclass(frozen=True)
class StudyReport:
    study: Study
    participants: int
    phases: list[PhaseSummary]
    skills: list[SkillResult]  # attribution, claims, sourcing, then overall
    form_difficulty: FormDifficulty
    discernment: Discernment
    items: list[ItemQuality]
    flagged_items: list[ItemQuality]
    students: list[StudentScores]

    @property
    def overall(self) -> SkillResult:
        return self.skills[-1]


def _skill_label(key: str) -> str:
    return _("Overall") if key == OVERALL else Skill(key).label


def _percents(counts: dict[str, tuple[int, int]]) -> dict[str, float | None]:
    """Percent right per skill key (and overall) from each skill's (right, asked); None for a
    skill with no items."""
    right_all = sum(right for right, _asked in counts.values())
    asked_all = sum(asked for _right, asked in counts.values())
    totals = {**counts, OVERALL: (right_all, asked_all)}
    return {
        key: 100.0 * totals[key][0] / totals[key][1] if totals.get(key, (0, 0))[1] else None
        for key in SKILL_KEYS
    }


def _paired(scores, first: str, second: str, key: str) -> tuple[list[float], list[float]]:
    pairs = [
        (phases[first][key], phases[second][key])
        for phases in scores.values()
        if phases.get(first, {}).get(key) is not None
        and phases.get(second, {}).get(key) is not None
    ]
    return [a for a, _b in pairs], [b for _a, b in pairs]


def _retention_sentence(label: str, share: float | None, gained: float | None) -> str:
    if gained is None:
        return _("%(skill)s: no student has taken all three tests yet.") % {"skill": label}
    if share is None:
        return _("%(skill)s: there was no gain from pre-test to post-test to keep.") % {
            "skill": label
        }
    return _("%(skill)s: students kept %(share)d%% of their gain at the retention test.") % {
        "skill": label,
        "share": round(100 * share),
    }


def _skill_result(scores, key: str) -> SkillResult:
    label = _skill_label(key)
    pre, post = _paired(scores, "pre", "post", key)
    after, retained = _paired(scores, "post", "retention", key)
    triples = [
        (phases["pre"][key], phases["post"][key], phases["retention"][key])
        for phases in scores.values()
        if all(phases.get(phase, {}).get(key) is not None for phase in PHASES)
    ]
    share = gained = None
    if triples:
        mean_pre, mean_post, mean_retention = (
            sum(values) / len(triples) for values in zip(*triples, strict=True)
        )
        gained = mean_post - mean_pre
        if gained > 0:
            share = (mean_retention - mean_pre) / gained
    return SkillResult(
        skill=key,
        label=label,
        effect=paired_effect(pre, post),
        retention=bounded(mean_ci(retained), 0.0, 100.0),
        retention_effect=paired_effect(after, retained),
        share_kept=share,
        retention_sentence=_retention_sentence(label, share, gained),
    )


def _form_difficulty(sittings, scores) -> FormDifficulty:
    by_form = {Study.Form.A: [], Study.Form.B: []}
    for sitting in sittings:
        if sitting["phase__phase"] != Study.Phase.PRE or sitting["finished_at"] is None:
            continue
        percent = scores[sitting["participant_id"]]["pre"][OVERALL]
        if percent is not None:
            by_form[sitting["form"]].append(percent)
    a, b = mean_ci(by_form[Study.Form.A]), mean_ci(by_form[Study.Form.B])
    difference = a.mean - b.mean if a.mean is not None and b.mean is not None else None
    if difference is None:
        sentence = _("Both forms need a finished pre-test to compare them.")
    elif abs(difference) < 0.5:
        sentence = _("At the pre-test the two forms were about as hard as each other.")
    else:
        sentence = _(
            "At the pre-test form %(easier)s scored %(points).0f points higher than form "
            "%(harder)s; the two orders share that difference out between pre and post."
        ) % {
            "easier": "A" if difference > 0 else "B",
            "harder": "B" if difference > 0 else "A",
            "points": abs(difference),
        }
    return FormDifficulty(a=a, b=b, difference=difference, sentence=sentence)


def _class_detection(phase: str, students: list[StudentDetection]) -> ClassDetection:
    detections = [
        student.detection
        for student in students
        if student.phase == phase and student.detection is not None
    ]
    n = len(detections)
    return ClassDetection(
        phase=phase,
        n=n,
        d_prime=mean_ci([d.d_prime for d in detections]),
        criterion=mean_ci([d.criterion for d in detections]),
        hit_rate=sum(d.hit_rate for d in detections) / n if n else None,
        false_alarm_rate=sum(d.false_alarm_rate for d in detections) / n if n else None,
    )


def _certainty(change: Interval) -> str:
    if change.low is None:
        return ""
    if change.low > 0 or change.high < 0:
        return _(" (the 95% interval of the change leaves out no change)")
    return _(" (but the 95% interval of the change includes no change: it may be chance)")


def discernment_sentence(d_prime_change: Interval, criterion_change: Interval) -> str:
    """The class's change in words: d' up is telling claims from facts better; c down is
    calling more things claims."""
    if d_prime_change.mean is None:
        return _("Telling claims from facts needs students who took both the pre- and post-test.")
    d_change, c_change = d_prime_change.mean, criterion_change.mean
    if d_change > 0:
        telling = _("students got better at telling claims from facts")
    elif d_change < 0:
        telling = _("students got worse at telling claims from facts")
    else:
        telling = _("students told claims from facts no better than before")
    telling += _certainty(d_prime_change)
    if c_change < 0:
        calling = _("they called more things claims")
    elif c_change > 0:
        calling = _("they called fewer things claims")
    else:
        calling = _("they called things claims as often as before")
    calling += _certainty(criterion_change)
    if d_change > 0 and c_change < 0:
        link = _("%(telling)s, and %(calling)s.")
    elif d_change == 0 and c_change == 0:
        link = _("Neither changed: %(telling)s, and %(calling)s.")
    else:
        link = _("%(telling)s; %(calling)s.")
    sentence = link % {"telling": telling, "calling": calling}
    return sentence[0].upper() + sentence[1:]


def _discernment(sittings, items_by_sitting, claim_kind) -> Discernment:
    students = []
    for sitting in sittings:
        phase = sitting["phase__phase"]
        if phase not in (Study.Phase.PRE, Study.Phase.POST) or sitting["finished_at"] is None:
            continue
        hits = claims = false_alarms = facts = 0
        for question_id, _right, answered_position in items_by_sitting[sitting["pk"]]:
            truth = claim_kind.get(question_id)
            said_claim = answered_position == CLAIM_POSITION
            if truth == "claim":
                claims += 1
                hits += said_claim
            elif truth == "fact":
                facts += 1
                false_alarms += said_claim
        students.append(
            StudentDetection(
                pseudonym=sitting["participant__pseudonym"],
                phase=phase,
                hits=hits,
                claims=claims,
                false_alarms=false_alarms,
                facts=facts,
                detection=sdt(hits, claims, false_alarms, facts),
            )
        )
    by_student = defaultdict(dict)
    for student in students:
        if student.detection is not None:
            by_student[student.pseudonym][student.phase] = student.detection
    both = [
        (phases[Study.Phase.PRE], phases[Study.Phase.POST])
        for phases in by_student.values()
        if Study.Phase.PRE in phases and Study.Phase.POST in phases
    ]
    d_prime_change = mean_ci([post.d_prime - pre.d_prime for pre, post in both])
    criterion_change = mean_ci([post.criterion - pre.criterion for pre, post in both])
    students.sort(key=lambda student: (student.pseudonym, PHASES.index(student.phase)))
    return Discernment(
        pre=_class_detection(Study.Phase.PRE, students),
        post=_class_detection(Study.Phase.POST, students),
        d_prime_change=d_prime_change,
        criterion_change=criterion_change,
        students=students,
        sentence=discernment_sentence(d_prime_change, criterion_change),
    )


def _item_quality(sittings, items_by_sitting, questions, forms) -> list[ItemQuality]:
    scores = defaultdict(list)  # question id -> [(right, rest)]
    for sitting in sittings:
        if sitting["phase__phase"] != Study.Phase.PRE or sitting["finished_at"] is None:
            continue
        items = items_by_sitting[sitting["pk"]]
        total = sum(right for _question, right, _position in items)
        for question_id, right, _position in items:
            scores[question_id].append((right, total - right))
    result = []
    for question_id, pairs in scores.items():
        question = questions[question_id]
        takers = len(pairs)
        discrimination = None
        if takers >= ITEM_MIN_TAKERS:
            discrimination = point_biserial([p[0] for p in pairs], [p[1] for p in pairs])
        if takers < ITEM_MIN_TAKERS:
            flagged, reason = False, _("Too few takers to judge.")
        elif discrimination is None:
            flagged, reason = True, _("Every taker scored the same on it or on the rest.")
        elif discrimination < DISCRIMINATION_FLOOR:
            flagged, reason = (
                True,
                _("Students who did well on the rest did no better on this item."),
            )
        else:
            flagged, reason = False, ""
        result.append(
            ItemQuality(
                question_id=question_id,
                prompt=question["prompt"],
                form=forms.get(question_id, ""),
                skill=question["skill"],
                kind=question["kind"],
                takers=takers,
                percent=100.0 * sum(p[0] for p in pairs) / takers,
                discrimination=discrimination,
                flagged=flagged,
                reason=reason,
            )
        )
    result.sort(key=lambda item: (item.form, item.question_id))
    return result


def _study_rows(study: Study):
    """What the report is worked out from, in six queries whatever the number of students:
    the study's sittings; each finished sitting's items asked and right per skill (unanswered
    items count wrong), summed by the database; the items that item quality and discernment
    look at one by one (every item of the finished pre-tests, and the classification items
    with a claim or a fact for an answer of the finished post-tests); the questions; the
    classification questions' right answer as "claim", "fact" or other; and which form each
    question is on."""
    sittings = list(
        StudySitting.objects.filter(phase__study=study)
        .values(
            "pk",
            "form",
            "finished_at",
            "participant_id",
            "participant__pseudonym",
            "participant__order",
            "phase__phase",
        )
        .order_by("participant__pseudonym", "phase__opens_at")
    )
    finished_items = SittingItem.objects.filter(
        sitting__phase__study=study, sitting__finished_at__isnull=False
    )
    skill_counts = defaultdict(dict)  # sitting id -> skill -> (right, asked)
    for row in (
        finished_items.values("sitting_id", skill=F("question__skill"))
        .annotate(asked=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .order_by()
    ):
        skill_counts[row["sitting_id"]][row["skill"]] = (row["right"], row["asked"])
    question_ids = SittingItem.objects.filter(sitting__phase__study=study).values("question_id")
    questions = {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=question_ids).values(
            "pk", "skill", "kind", "prompt"
        )
    }
    claim_kind = {}
    for question_id, position in Choice.objects.filter(
        question__in=question_ids,
        question__kind=Question.Kind.CLASSIFICATION,
        is_correct=True,
    ).values_list("question_id", "position"):
        claim_kind[question_id] = {CLAIM_POSITION: "claim", FACT_POSITION: "fact"}.get(
            position, "other"
        )
    told_apart = [q for q, truth in claim_kind.items() if truth in ("claim", "fact")]
    items_by_sitting = defaultdict(list)
    for sitting_id, question_id, is_correct, position in finished_items.filter(
        Q(sitting__phase__phase=Study.Phase.PRE)
        | Q(sitting__phase__phase=Study.Phase.POST, question_id__in=told_apart)
    ).values_list("sitting_id", "question_id", "is_correct", "choice__position"):
        items_by_sitting[sitting_id].append((question_id, int(bool(is_correct)), position))
    forms = {}
    for question_id, quiz_id in (
        QuizQuestion.objects.filter(quiz__in=[study.form_a_id, study.form_b_id])
        .order_by("pk")
        .values_list("question_id", "quiz_id")
    ):
        forms.setdefault(question_id, "A" if quiz_id == study.form_a_id else "B")
    return sittings, skill_counts, items_by_sitting, questions, claim_kind, forms


def study_report(*, study: Study) -> StudyReport:
    """The class report of the study, in seven queries whatever the number of students.

    A student's percent at a phase is their share of the items right on a finished sitting
    (unanswered items count wrong; unfinished sittings are left out); a skill with no items on
    the form has no percent. Pre/post effects are over the students who finished both.
    """
    sittings, skill_counts, items_by_sitting, questions, claim_kind, forms = _study_rows(study)
    opened = {sitting["phase__phase"] for sitting in sittings}
    participants = {}
    scores = defaultdict(dict)  # participant id -> phase -> skill key -> percent
    for sitting in sittings:
        participants[sitting["participant_id"]] = sitting
        if sitting["finished_at"] is None:
            continue
        scores[sitting["participant_id"]][sitting["phase__phase"]] = _percents(
            skill_counts[sitting["pk"]]
        )
    participant_count = StudyParticipant.objects.filter(study=study).count()
    phases = []
    for phase in Study.Phase:
        in_phase = [s for s in sittings if s["phase__phase"] == phase]
        finished = [s for s in in_phase if s["finished_at"] is not None]
        phases.append(
            PhaseSummary(
                phase=phase.value,
                label=phase.label,
                opened=phase.value in opened,
                sittings=len(in_phase),
                finished=len(finished),
                means={
                    key: bounded(
                        mean_ci(
                            [
                                percent
                                for s in finished
                                if (percent := scores[s["participant_id"]][phase][key]) is not None
                            ]
                        ),
                        0.0,
                        100.0,
                    )
                    for key in SKILL_KEYS
                },
            )
        )
    items = _item_quality(sittings, items_by_sitting, questions, forms)
    return StudyReport(
        study=study,
        participants=participant_count,
        phases=phases,
        skills=[_skill_result(scores, key) for key in SKILL_KEYS],
        form_difficulty=_form_difficulty(sittings, scores),
        discernment=_discernment(sittings, items_by_sitting, claim_kind),
        items=items,
        flagged_items=[item for item in items if item.flagged],
        students=[
            StudentScores(
                pseudonym=sitting["participant__pseudonym"],
                order=sitting["participant__order"],
                percents=scores[participant_id],
            )
            for participant_id, sitting in sorted(
                participants.items(), key=lambda pair: pair[1]["participant__pseudonym"]
            )
        ],
    )


EXPORT_COLUMNS = [
    "participant",
    "order",
    "time_point",
    "form",
    "item",
    "skill",
    "item_kind",
    "correct",
    "answer",
    "seconds",
]

STUDY_CODEBOOK = {
    "columns": {
        "participant": {
            "description": "The student's pseudonym: random, stable within the study, unrelated "
            "to their name or username.",
            "type": "string",
            "values": "12 characters at most",
        },
        "order": {
            "description": "The order of the parallel forms the student was put in at random: "
            "AB takes form A at the pre-test, B at the post-test and A at the retention test; "
            "BA takes B, A, B.",
            "type": "string",
            "values": ["AB", "BA"],
        },
        "time_point": {
            "description": "The test the answer was given in.",
            "type": "string",
            "values": PHASES,
        },
        "form": {
            "description": "The parallel form the student took at this time point.",
            "type": "string",
            "values": ["A", "B"],
        },
        "item": {
            "description": "The question's id: the same item has the same id in every row.",
            "type": "integer",
            "values": "a positive integer",
        },
        "skill": {
            "description": "The skill the item tests.",
            "type": "string",
            "values": [skill.value for skill in Skill],
        },
        "item_kind": {
            "description": "The kind of question.",
            "type": "string",
            "values": [kind.value for kind in Question.Kind],
        },
        "correct": {
            "description": "1 when the answer was right, 0 when it was wrong or not given "
            "(the student handed the test in without answering the item).",
            "type": "integer",
            "values": [0, 1],
        },
        "answer": {
            "description": "The text of the choice the student picked, or for evidence items "
            "the words of the article they selected; empty when not answered.",
            "type": "string",
            "values": "free text",
        },
        "seconds": {
            "description": "Seconds from the student's previous answer in the same test (or "
            "from the start of the test, for the first) to this answer; empty when not "
            "answered.",
            "type": "number",
            "values": "0 or more, to a tenth of a second",
        },
    },
    "notes": [
        "One row per student, item and time point, for the tests the student finished "
        "(handed in, or answered every item); unfinished tests are left out, as in the report.",
        "Pre-test, post-test and retention test use two parallel forms, given in counterbalanced "
        "orders (column order), so a harder form cannot pass for a gain.",
        "No names, usernames or e-mail addresses are exported; the pseudonym cannot be turned "
        "back into a student without the teacher's account.",
        "Percent scores in the report are the share of items right; every item weighs the same.",
    ],
}


def _answer_text(row, bodies) -> str:
    if row["choice__text"] is not None:
        return row["choice__text"]
    body = bodies.get(row["question__article_id"])
    if body is not None and row["selected_start"] is not None and row["selected_end"] is not None:
        return body[row["selected_start"] : row["selected_end"]]
    return ""


def _sitting_export(rows: list[dict], bodies) -> Iterator[dict]:
    """The export rows of one sitting; seconds run from the previous answer, in answer order."""
    started = rows[0]["sitting__started_at"]
    previous = {}
    last = started
    for row in sorted(
        (row for row in rows if row["answered_at"] is not None), key=lambda r: r["answered_at"]
    ):
        previous[row["question_id"]] = last
        last = row["answered_at"]
    for row in rows:
        answered = row["answered_at"] is not None
        since = previous.get(row["question_id"])
        seconds = ""
        if answered and since is not None:
            seconds = round(max((row["answered_at"] - since).total_seconds(), 0.0), 1)
        yield {
            "participant": row["sitting__participant__pseudonym"],
            "order": row["sitting__participant__order"],
            "time_point": row["sitting__phase__phase"],
            "form": row["sitting__form"],
            "item": row["question_id"],
            "skill": row["question__skill"],
            "item_kind": row["question__kind"],
            "correct": 1 if row["is_correct"] else 0,
            "answer": _answer_text(row, bodies) if answered else "",
            "seconds": seconds,
        }


def study_export_rows(*, study: Study) -> Iterator[dict]:
    """The research export: one dict per student, item and time point (EXPORT_COLUMNS), of the
    finished sittings, by pseudonym, time point and position; pseudonyms only. Two queries,
    the rows streamed."""
    finished = SittingItem.objects.filter(
        sitting__phase__study=study, sitting__finished_at__isnull=False
    )
    bodies = dict(
        Article.objects.filter(
            pk__in=finished.filter(selected_start__isnull=False).values("question__article_id")
        ).values_list("pk", "body")
    )
    rows = (
        finished.values(
            "sitting_id",
            "question_id",
            "is_correct",
            "answered_at",
            "selected_start",
            "selected_end",
            "choice__text",
            "question__skill",
            "question__kind",
            "question__article_id",
            "sitting__started_at",
            "sitting__form",
            "sitting__phase__phase",
            "sitting__participant__pseudonym",
            "sitting__participant__order",
        )
        .order_by(
            "sitting__participant__pseudonym", "sitting__phase__opens_at", "sitting_id", "position"
        )
        .iterator(chunk_size=2000)
    )
    for _sitting_id, sitting_rows in groupby(rows, key=itemgetter("sitting_id")):
        yield from _sitting_export(list(sitting_rows), bodies)


def studies_due_for(*, student, now=None) -> list[StudySitting]:
    """The student's unfinished sittings in phases open now, in studies of classes they are
    still in, soonest due first, each with `item_count` and `answered_count`; one query."""
    now = now or timezone.now()
    still_enrolled = Enrollment.objects.filter(
        classroom=OuterRef("phase__study__classroom"), student=student
    )
    return list(
        StudySitting.objects.filter(
            Q(phase__due_at__isnull=True) | Q(phase__due_at__gt=now),
            Exists(still_enrolled),
            participant__student=student,
            finished_at__isnull=True,
            phase__opens_at__lte=now,
        )
        .select_related("phase__study__classroom", "participant")
        .annotate(**AnsweredItem.progress())
        .order_by(F("phase__due_at").asc(nulls_last=True), "phase__opens_at", "pk")
    )
