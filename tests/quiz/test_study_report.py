"""The study report, its research export and codebook, and the tests a student has open,
against a small study whose numbers are worked out by hand in the comments."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Annotation
from quiz.models import (
    Enrollment,
    SittingItem,
    Study,
    StudyParticipant,
    StudyPhase,
    StudySitting,
)
from quiz.selectors import (
    EXPORT_COLUMNS,
    STUDY_CODEBOOK,
    studies_due_for,
    study_export_rows,
    study_report,
)
from quiz.selectors.studies import CLAIM_POSITION, FACT_POSITION, discernment_sentence
from quiz.services.generation import KIND_CHOICES
from quiz.stats import Interval, point_biserial
from tests.factories import (
    ArticleFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

Z75 = 0.6744897501960817  # z(0.75) = -z(0.25), from scipy.stats.norm.ppf
T975_2 = 4.302652729749464  # t(0.975, 2), from scipy.stats.t.ppf
START = timezone.now() - timedelta(days=30)
CLASSIFICATION = ["A claim someone makes", "A fact the reporter states", "An opinion"]


def _classification(article, teacher, right: int):
    return QuestionFactory(
        article=article,
        owner=teacher,
        kind="classification",
        skill="claims",
        choices=[(text, position == right) for position, text in enumerate(CLASSIFICATION, 1)],
    )


def _form(teacher, title):
    """Four questions: attribution, a claim, a reported fact, sourcing (right answer: choice 1,
    1, 2, 1)."""
    article = ArticleFactory(owner=teacher)
    questions = [
        QuestionFactory(
            article=article,
            owner=teacher,
            kind="attribution",
            skill="attribution",
            choices=[("The mayor", True), ("Critics", False), ("The reporter", False)],
        ),
        _classification(article, teacher, right=CLAIM_POSITION),
        _classification(article, teacher, right=FACT_POSITION),
        QuestionFactory(
            article=article,
            owner=teacher,
            kind="sourcing",
            skill="sourcing",
            choices=[("A named person", True), ("None given", False), ("Unnamed", False)],
        ),
    ]
    return QuizFactory(owner=teacher, title=title, questions=questions)


def _study(students=()):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher], students=list(students))
    return Study.objects.create(
        classroom=classroom,
        title="Claims unit",
        form_a=_form(teacher, "Form A"),
        form_b=_form(teacher, "Form B"),
    )


def _join(study, student, order, pseudonym):
    Enrollment.objects.get_or_create(classroom=study.classroom, student=student)
    return StudyParticipant.objects.create(
        study=study, student=student, order=order, pseudonym=pseudonym
    )


def _phase(study, phase, days, due_days=None):
    return StudyPhase.objects.get_or_create(
        study=study,
        phase=phase,
        defaults={
            "opens_at": START + timedelta(days=days),
            "due_at": None if due_days is None else START + timedelta(days=due_days),
        },
    )[0]


def _sit(participant, phase, answers, finished=True):
    """A sitting on the participant's form at `phase` with `answers`: the chosen choice's
    position per question in form order (None: not answered); answers 10 s apart."""
    study = participant.study
    form = Study.form_letter(participant.order, phase.phase)
    quiz = study.form_for(participant.order, phase.phase)
    started = phase.opens_at + timedelta(minutes=1)
    sitting = StudySitting.objects.create(
        phase=phase,
        participant=participant,
        form=form,
        started_at=started,
        finished_at=started + timedelta(minutes=5) if finished else None,
    )
    questions = [
        item.question for item in quiz.items.select_related("question").order_by("position")
    ]
    for position, (question, answer) in enumerate(zip(questions, answers, strict=True), 1):
        choice = None if answer is None else question.choices.get(position=answer)
        SittingItem.objects.create(
            sitting=sitting,
            question=question,
            position=position,
            choice=choice,
            is_correct=None if choice is None else choice.is_correct,
            answered_at=None if choice is None else started + timedelta(seconds=10 * position),
        )
    return sitting


@pytest.fixture
def worked_study():
    """Four students, pre and post, two of them at retention. Percent right (attribution,
    claims, sourcing; overall):

    s1 AB pre A [1,1,1,2]: 100, 50, 0; 50    post B [1,1,2,1]: 100, 100, 100; 100
       retention A [1,1,2,2]: 100, 100, 0; 75
    s2 AB pre A [2,2,2,2]: 0, 50, 0; 25      post B [1,1,1,2]: 100, 50, 0; 50
       retention A [2,1,2,2]: 0, 100, 0; 50
    s3 BA pre B [1,3,2,1]: 100, 50, 100; 75  post A [1,1,2,-] (handed in): 100, 100, 0; 75
    s4 BA pre B [2,1,1,2]: 0, 50, 0; 25      post A unfinished: left out
    """
    study = _study()
    pre = _phase(study, "pre", 0)
    post = _phase(study, "post", 10)
    retention = _phase(study, "retention", 20)
    s1, s2, s3, s4 = (
        _join(study, StudentFactory(), order, f"P{n}")
        for n, order in enumerate(["AB", "AB", "BA", "BA"], 1)
    )
    _sit(s1, pre, [1, 1, 1, 2])
    _sit(s1, post, [1, 1, 2, 1])
    _sit(s1, retention, [1, 1, 2, 2])
    _sit(s2, pre, [2, 2, 2, 2])
    _sit(s2, post, [1, 1, 1, 2])
    _sit(s2, retention, [2, 1, 2, 2])
    _sit(s3, pre, [1, 3, 2, 1])
    _sit(s3, post, [1, 1, 2, None])
    _sit(s4, pre, [2, 1, 1, 2])
    _sit(s4, post, [1, 1, None, None], finished=False)
    return study


def _skill(report, key):
    return next(result for result in report.skills if result.skill == key)


def test_classification_positions_follow_the_generated_choices():
    assert [kind for kind, _label, _feedback in KIND_CHOICES][:2] == [
        Annotation.Kind.CLAIM,
        Annotation.Kind.REPORTED_FACT,
    ]
    assert (CLAIM_POSITION, FACT_POSITION) == (1, 2)


def test_phase_summaries_count_sittings_and_average_every_finished_one(worked_study):
    report = study_report(study=worked_study)
    assert report.participants == 4
    pre, post, retention = report.phases
    assert (pre.phase, pre.sittings, pre.finished, pre.opened) == ("pre", 4, 4, True)
    assert pre.means["overall"].mean == pytest.approx(43.75)  # (50 + 25 + 75 + 25) / 4
    assert (post.sittings, post.finished) == (4, 3)
    assert post.means["overall"].mean == pytest.approx(75.0)  # (100 + 50 + 75) / 3
    assert post.means["sourcing"].mean == pytest.approx(100 / 3)  # 100, 0, 0
    assert (retention.sittings, retention.finished) == (2, 2)
    assert retention.means["overall"].mean == pytest.approx(62.5)


def test_overall_pre_to_post_over_the_students_who_took_both(worked_study):
    # s1, s2, s3: pre 50, 25, 75 -> post 100, 50, 75; diffs 50, 25, 0: mean 25, sd 25.
    # Gain CI: 25 -+ t(0.975, 2) * 25 / sqrt 3 = 25 -+ 62.1034 (scipy ttest_rel: -37.1034,
    # 87.1034). d_z = 25 / 25 = 1; J = 1 - 3 / (4 * 2 - 1) = 4 / 7; g_z = 0.571429.
    # Hake: (75 - 50) / (100 - 50) = 0.5. Improved 2 (s1, s2), stayed 1 (s3).
    effect = study_report(study=worked_study).overall.effect
    assert effect.n == 3
    assert (effect.mean_pre, effect.mean_post) == (pytest.approx(50.0), pytest.approx(75.0))
    assert effect.gain.mean == pytest.approx(25.0)
    assert effect.gain.low == pytest.approx(-37.10344279375825, abs=1e-9)
    assert effect.gain.high == pytest.approx(87.10344279375825, abs=1e-9)
    assert effect.d_z == pytest.approx(1.0)
    assert effect.hedges_g == pytest.approx(4 / 7)
    assert effect.normalised_gain == pytest.approx(0.5)
    assert (effect.improved, effect.stayed, effect.fell) == (2, 1, 0)


def test_each_skill_pre_to_post(worked_study):
    report = study_report(study=worked_study)
    # Attribution: pre 100, 0, 100 -> post 100, 100, 100; diffs 0, 100, 0: mean 33.33;
    # Hake (100 - 66.67) / (100 - 66.67) = 1; sd 57.735: d_z = 0.57735.
    attribution = _skill(report, "attribution").effect
    assert attribution.gain.mean == pytest.approx(100 / 3)
    assert attribution.normalised_gain == pytest.approx(1.0)
    assert attribution.d_z == pytest.approx(1 / 3**0.5)
    assert (attribution.improved, attribution.stayed, attribution.fell) == (1, 2, 0)
    # Claims: pre 50, 50, 50 -> post 100, 50, 100; Hake (83.33 - 50) / 50 = 0.6667.
    claims = _skill(report, "claims").effect
    assert claims.gain.mean == pytest.approx(100 / 3)
    assert claims.normalised_gain == pytest.approx(2 / 3)
    assert claims.pre == Interval(mean=50.0, low=50.0, high=50.0, n=3)
    # Sourcing: pre 0, 0, 100 -> post 100, 0, 0: diffs 100, 0, -100, mean 0, sd 100: d_z 0.
    sourcing = _skill(report, "sourcing").effect
    assert sourcing.gain.mean == pytest.approx(0.0)
    assert sourcing.gain.high == pytest.approx(T975_2 * 100 / 3**0.5)
    assert sourcing.d_z == pytest.approx(0.0)
    assert sourcing.normalised_gain == pytest.approx(0.0)
    assert (sourcing.improved, sourcing.stayed, sourcing.fell) == (1, 1, 1)
    assert [result.skill for result in report.skills] == [
        "attribution",
        "claims",
        "sourcing",
        "overall",
    ]


def test_retention_and_the_share_of_the_gain_kept(worked_study):
    report = study_report(study=worked_study)
    # s1, s2 took all three. Overall: pre 37.5, post 75, retention 62.5:
    # kept (62.5 - 37.5) / (75 - 37.5) = 2/3.
    overall = report.overall
    assert overall.retention.mean == pytest.approx(62.5)
    assert overall.retention.n == 2
    assert overall.retention_effect.gain.mean == pytest.approx(-12.5)  # 75-100, 50-50
    assert overall.share_kept == pytest.approx(2 / 3)
    assert "67%" in overall.retention_sentence
    # Attribution: pre 50, post 100, retention 50: nothing kept.
    assert _skill(report, "attribution").share_kept == pytest.approx(0.0)
    # Claims: pre 50, post 75, retention 100: (100 - 50) / 25 = 2.
    assert _skill(report, "claims").share_kept == pytest.approx(2.0)


def test_no_retention_yet_says_so(worked_study):
    worked_study.phases.filter(phase="retention").delete()
    overall = study_report(study=worked_study).overall
    assert overall.share_kept is None
    assert overall.retention.n == 0
    assert "all three" in overall.retention_sentence


def test_form_difficulty_at_the_pre_test(worked_study):
    # A: s1 50, s2 25 -> 37.5; B: s3 75, s4 25 -> 50.
    difficulty = study_report(study=worked_study).form_difficulty
    assert (difficulty.a.mean, difficulty.a.n) == (pytest.approx(37.5), 2)
    assert (difficulty.b.mean, difficulty.b.n) == (pytest.approx(50.0), 2)
    assert difficulty.difference == pytest.approx(-12.5)
    assert "form B scored 12 points higher than form A" in difficulty.sentence


def test_discernment_per_student_and_per_class(worked_study):
    # One claim and one fact per form; "claim" is choice 1. H = (hits + .5) / 2, same for F.
    # Pre: s1 hit + false alarm: H = F = .75: d' 0, c -z(.75); s2 miss + correct rejection:
    # H = F = .25: d' 0, c z(.75); s3 (opinion for the claim) same as s2; s4 same as s1.
    # Post: s1 hit, CR: H .75, F .25: d' 2 z(.75), c 0; s2 hit, FA: d' 0, c -z(.75); s3 as s1.
    discernment = study_report(study=worked_study).discernment
    by_student = {(s.pseudonym, s.phase): s for s in discernment.students}
    first = by_student[("P1", "pre")]
    assert (first.hits, first.claims, first.false_alarms, first.facts) == (1, 1, 1, 1)
    assert first.detection.d_prime == pytest.approx(0.0)
    assert first.detection.criterion == pytest.approx(-Z75)
    assert by_student[("P3", "pre")].detection.criterion == pytest.approx(Z75)
    assert by_student[("P1", "post")].detection.d_prime == pytest.approx(2 * Z75)
    assert ("P4", "post") not in by_student  # unfinished
    assert discernment.pre.n == 4
    assert discernment.pre.d_prime.mean == pytest.approx(0.0)
    assert discernment.pre.criterion.mean == pytest.approx(0.0)
    assert discernment.pre.hit_rate == pytest.approx(0.5)  # .75, .25, .25, .75
    assert discernment.post.n == 3
    assert discernment.post.d_prime.mean == pytest.approx(2 * Z75 * 2 / 3)
    assert discernment.post.criterion.mean == pytest.approx(-Z75 / 3)
    assert discernment.post.false_alarm_rate == pytest.approx((0.25 + 0.75 + 0.25) / 3)
    # Changes over s1-s3: d' +2z, 0, +2z -> mean 4z/3; c +z, -2z, -z -> mean -2z/3.
    assert discernment.d_prime_change.mean == pytest.approx(4 * Z75 / 3)
    assert discernment.criterion_change.mean == pytest.approx(-2 * Z75 / 3)
    assert discernment.sentence.startswith(
        "Students got better at telling claims from facts (but the 95% interval"
    )
    assert "and they called more things claims" in discernment.sentence


@pytest.mark.parametrize(
    ("d_change", "c_change", "words"),
    [
        (0.5, -0.5, ["got better", "and they called more things claims"]),
        (0.5, 0.0, ["got better", "as often as before"]),
        (0.0, -0.4, ["no better than before", "called more things claims"]),
        (-0.3, 0.4, ["got worse", "called fewer things claims"]),
        (0.0, 0.0, ["Neither changed"]),
    ],
)
def test_discernment_sentence_says_what_changed(d_change, c_change, words):
    sentence = discernment_sentence(
        Interval(mean=d_change, low=None, high=None, n=1),
        Interval(mean=c_change, low=None, high=None, n=1),
    )
    for word in words:
        assert word in sentence


def test_discernment_sentence_says_a_clear_change_is_clear():
    sentence = discernment_sentence(
        Interval(mean=1.0, low=0.5, high=1.5, n=10), Interval(mean=0.0, low=-0.2, high=0.2, n=10)
    )
    assert "leaves out no change" in sentence
    assert "may be chance" in sentence


def test_items_with_too_few_takers_are_not_judged(worked_study):
    report = study_report(study=worked_study)
    assert len(report.items) == 8  # four per form at the pre-test
    assert all(item.takers == 2 and item.discrimination is None for item in report.items)
    assert report.flagged_items == []
    first = report.items[0]
    assert first.form == "A"
    assert first.percent == pytest.approx(50.0)  # s1 right, s2 wrong


def test_items_that_do_not_discriminate_are_flagged_with_their_prompt():
    study = _study()
    pre = _phase(study, "pre", 0)
    # Six students on form A (right answers 1, 1, 2, 1). Items right, per student:
    # attribution 1 1 1 0 0 0, claim 1 1 0 1 0 0, fact 1 1 1 1 1 1, sourcing 1 0 1 0 1 0;
    # totals 4 3 3 2 2 1.
    answers = [[1, 1, 2, 1], [1, 1, 2, 2], [1, 2, 2, 1], [2, 1, 2, 2], [2, 2, 2, 1], [2, 2, 2, 2]]
    for n, row in enumerate(answers):
        _sit(_join(study, StudentFactory(), "AB", f"Q{n}"), pre, row)
    report = study_report(study=study)
    attribution, claim, fact, sourcing = report.items
    # Attribution: rest 3 2 2 2 2 1 (mean 2, deviations 1 0 0 0 0 -1); item deviations +-.5:
    # products sum to .5 + .5 = 1; squares 1.5 and 2: r = 1 / sqrt 3 = 0.57735. Kept.
    assert attribution.discrimination == pytest.approx(3**-0.5)
    assert not attribution.flagged
    assert attribution.reason == ""
    # Claim: rest 3 2 3 1 2 1 (deviations 1 0 1 -1 0 -1), item deviations .5 .5 -.5 .5 -.5 -.5:
    # products .5 + 0 - .5 - .5 + 0 + .5 = 0: r = 0 < 0.1, flagged.
    assert claim.discrimination == pytest.approx(0.0)
    assert claim.flagged
    # Fact: everyone right: nothing to correlate, flagged.
    assert fact.discrimination is None and fact.flagged
    assert fact.percent == pytest.approx(100.0)
    # Sourcing: rest 3 3 2 2 1 1 (deviations 1 1 0 0 -1 -1), item deviations alternate:
    # products .5 - .5 + 0 + 0 - .5 + .5 = 0: flagged.
    assert sourcing.discrimination == pytest.approx(
        point_biserial([1, 0, 1, 0, 1, 0], [3, 3, 2, 2, 1, 1])
    )
    assert sourcing.flagged
    assert sourcing.takers == 6
    assert sourcing.prompt == study.form_a.items.order_by("position").last().question.prompt
    assert [item.question_id for item in report.flagged_items] == [
        claim.question_id,
        fact.question_id,
        sourcing.question_id,
    ]


def test_export_rows_are_pseudonymous_and_timed(worked_study):
    rows = list(study_export_rows(study=worked_study))
    # Finished sittings: 4 pre + 3 post + 2 retention, four items each.
    assert len(rows) == 36
    assert all(list(row) == EXPORT_COLUMNS for row in rows)
    first = rows[0]
    assert first == {
        "participant": "P1",
        "order": "AB",
        "time_point": "pre",
        "form": "A",
        "item": worked_study.form_a.items.order_by("position").first().question_id,
        "skill": "attribution",
        "item_kind": "attribution",
        "correct": 1,
        "answer": "The mayor",
        "seconds": 10.0,
    }
    assert [row["seconds"] for row in rows[:4]] == [10.0, 10.0, 10.0, 10.0]
    unanswered = [r for r in rows if r["participant"] == "P3" and r["time_point"] == "post"][-1]
    assert (unanswered["correct"], unanswered["answer"], unanswered["seconds"]) == (0, "", "")
    assert {row["time_point"] for row in rows if row["participant"] == "P4"} == {"pre"}
    names = set()
    for participant in worked_study.participants.select_related("student"):
        student = participant.student
        names |= {student.username, student.first_name, student.last_name}
    text = repr(rows)
    assert not [name for name in names if name and name in text]


def test_export_gives_the_selected_words_of_an_evidence_answer():
    teacher = TeacherFactory()
    article = ArticleFactory(owner=teacher)
    start = 4  # "The mayor said ...": the words "mayor"
    evidence = QuestionFactory(
        article=article,
        owner=teacher,
        kind="evidence",
        skill="sourcing",
        choices=[],
        answer_start=start,
        answer_end=start + 5,
    )
    form_a = QuizFactory(owner=teacher, questions=[evidence])
    form_b = QuizFactory(owner=teacher, questions=1)
    study = Study.objects.create(
        classroom=ClassroomFactory(teachers=[teacher]),
        title="Evidence",
        form_a=form_a,
        form_b=form_b,
    )
    participant = _join(study, StudentFactory(), "AB", "E1")
    phase = _phase(study, "pre", 0)
    sitting = StudySitting.objects.create(
        phase=phase,
        participant=participant,
        form="A",
        started_at=phase.opens_at,
        finished_at=phase.opens_at + timedelta(minutes=1),
    )
    SittingItem.objects.create(
        sitting=sitting,
        question=evidence,
        position=1,
        selected_start=4,
        selected_end=9,
        is_correct=False,
        answered_at=phase.opens_at + timedelta(seconds=42.34),
    )
    (row,) = study_export_rows(study=study)
    assert row["answer"] == article.body[4:9]
    assert row["seconds"] == 42.3
    assert (row["item_kind"], row["correct"]) == ("evidence", 0)


def test_codebook_describes_every_column():
    assert set(STUDY_CODEBOOK["columns"]) == set(EXPORT_COLUMNS)
    for column in STUDY_CODEBOOK["columns"].values():
        assert {"description", "type", "values"} <= set(column)
    assert STUDY_CODEBOOK["columns"]["time_point"]["values"] == ["pre", "post", "retention"]
    assert STUDY_CODEBOOK["notes"]


def _class_of(size):
    study = _study()
    pre = _phase(study, "pre", 0)
    post = _phase(study, "post", 10)
    for n in range(size):
        participant = _join(study, StudentFactory(), "AB" if n % 2 else "BA", f"N{n:03d}")
        _sit(participant, pre, [1 + n % 2, 1, 1 + n % 3 // 2, 2])
        _sit(participant, post, [1, 1, 2, 1 + n % 2], finished=n % 5 != 4)
    return study


@pytest.mark.parametrize("size", [3, 12])
def test_report_queries_do_not_grow_with_the_class(size, django_assert_num_queries):
    study = _class_of(size)
    with django_assert_num_queries(7):
        report = study_report(study=study)
    assert report.participants == size


@pytest.mark.parametrize("size", [3, 12])
def test_export_queries_do_not_grow_with_the_class(size, django_assert_num_queries):
    study = _class_of(size)
    with django_assert_num_queries(2):
        rows = list(study_export_rows(study=study))
    assert len(rows) == 4 * (size + sum(1 for n in range(size) if n % 5 != 4))


def test_report_of_a_study_with_no_tests_yet():
    report = study_report(study=_study())
    assert report.participants == 0
    assert not any(phase.opened for phase in report.phases)
    assert report.overall.effect.n == 0
    assert report.form_difficulty.difference is None
    assert report.discernment.pre.n == 0
    assert "both" in report.discernment.sentence
    assert report.items == []


def test_studies_due_for_lists_open_unfinished_tests_in_classes_the_student_is_in(
    django_assert_num_queries,
):
    now = timezone.now()
    student = StudentFactory()
    study = _study()
    participant = _join(study, student, "AB", "D1")
    open_phase = StudyPhase.objects.create(
        study=study, phase="pre", opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=1)
    )
    due = _sit(participant, open_phase, [1, None, None, None], finished=False)
    # Finished, not yet open, past due: none of them listed.
    done_study = _study()
    done = _join(done_study, student, "AB", "D2")
    _sit(done, StudyPhase.objects.create(study=done_study, phase="pre", opens_at=now), [1] * 4)
    later_study = _study()
    later = _join(later_study, student, "BA", "D3")
    _sit(
        later,
        StudyPhase.objects.create(study=later_study, phase="pre", opens_at=now + timedelta(days=1)),
        [None] * 4,
        finished=False,
    )
    closed_study = _study()
    closed = _join(closed_study, student, "BA", "D4")
    _sit(
        closed,
        StudyPhase.objects.create(
            study=closed_study,
            phase="pre",
            opens_at=now - timedelta(days=3),
            due_at=now - timedelta(days=1),
        ),
        [None] * 4,
        finished=False,
    )
    # A study in a class the student has left.
    left_study = _study()
    left = _join(left_study, student, "AB", "D5")
    _sit(
        left,
        StudyPhase.objects.create(study=left_study, phase="pre", opens_at=now - timedelta(hours=1)),
        [None] * 4,
        finished=False,
    )
    Enrollment.objects.filter(classroom=left_study.classroom, student=student).delete()

    with django_assert_num_queries(1):
        sittings = studies_due_for(student=student, now=now)
        assert [sitting.pk for sitting in sittings] == [due.pk]
        assert sittings[0].phase.study.classroom == study.classroom
        assert (sittings[0].item_count, sittings[0].answered_count) == (4, 1)
    assert studies_due_for(student=StudentFactory(), now=now) == []
