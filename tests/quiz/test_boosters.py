"""Boosters: choosing their questions, scheduling them after the close, answering them, and
the trends the class and the student see."""

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from quiz import selectors, services
from quiz.models import Assignment, Booster, BoosterItem, Response, booster_days_validate
from quiz.services import Answer, Refusal
from quiz.services.boosters import booster_level, booster_questions_choose, items_interleave
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    BoosterFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

CLOSE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def bank_questions(article, skills: dict[str, int]) -> list:
    """Questions on `article` (not in any quiz): `skills` maps a skill to how many."""
    return [
        QuestionFactory(article=article, owner=article.owner, skill=skill)
        for skill, count in skills.items()
        for _ in range(count)
    ]


def closed_class(*, students=1, bank=None, **assignment_terms):
    """A class whose assignment closed at CLOSE, each student having handed it in, and a bank
    of questions on another of the teacher's articles."""
    teacher = TeacherFactory()
    people = [StudentFactory() for _ in range(students)]
    classroom = ClassroomFactory(teachers=[teacher], students=people)
    quiz = QuizFactory(owner=teacher, questions=3)
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz=quiz,
        opens_at=CLOSE - timedelta(days=7),
        due_at=CLOSE,
        **assignment_terms,
    )
    for student in people:
        AttemptFactory(
            assignment=assignment, student=student, submitted_at=CLOSE - timedelta(hours=1)
        )
    bank_questions(
        ArticleFactory(owner=teacher),
        bank if bank is not None else {"claims": 4, "sourcing": 3, "attribution": 3},
    )
    return classroom, assignment, people


def respond(*, attempt, question, is_correct, **fields):
    """A stored response to the question (its first choice picked)."""
    return Response.objects.create(
        attempt=attempt,
        question=question,
        choice=question.choices.first(),
        is_correct=is_correct,
        **fields,
    )


# The spacing an assignment keeps


@pytest.mark.parametrize("value", ["2,7,21", "1", "1,2,3,4,365", " 3, 10 "])
def test_booster_days_accepts_rising_whole_days(value):
    booster_days_validate(value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "between one and 5"),
        ("2,x", "whole days"),
        ("2.5", "whole days"),
        ("0,7", "between 1 and 365"),
        ("2,400", "between 1 and 365"),
        ("7,2", "must rise"),
        ("2,2", "must rise"),
        ("1,2,3,4,5,6", "between one and 5"),
    ],
)
def test_booster_days_refuses_what_is_not_rising_days(value, words):
    with pytest.raises(ValidationError, match=words):
        booster_days_validate(value)


@pytest.mark.django_db
def test_assignment_terms_store_the_booster_switch_and_spacing(teacher):
    classroom = ClassroomFactory(teachers=[teacher])
    quiz = QuizFactory(owner=teacher, questions=1)
    terms = services.AssignmentTerms(
        quiz=quiz, opens_at=CLOSE, due_at=CLOSE + timedelta(days=1), booster_days="3,10"
    )
    assignment = services.assignment_create(classroom=classroom, teacher=teacher, terms=terms)
    assert (assignment.boosters, assignment.booster_offsets()) == (True, [3, 10])
    off = services.AssignmentTerms(quiz=quiz, opens_at=CLOSE, boosters=False, booster_days="2,7,21")
    assignment = services.assignment_update(assignment=assignment, teacher=teacher, terms=off)
    assert assignment.boosters is False
    bad = services.AssignmentTerms(quiz=quiz, opens_at=CLOSE, booster_days="21,7")
    with pytest.raises(ValidationError, match="must rise"):
        services.assignment_update(assignment=assignment, teacher=teacher, terms=bad)


def test_closes_at_is_the_early_close_else_the_due_time():
    assignment = Assignment(due_at=CLOSE)
    assert assignment.closes_at() == CLOSE
    assignment.closed_at = CLOSE - timedelta(days=1)
    assert assignment.closes_at() == CLOSE - timedelta(days=1)
    assert Assignment(due_at=None).closes_at() is None


# Which skill a booster targets


@pytest.mark.django_db
def test_weakest_skill_is_chosen_by_the_shrunk_estimate_not_the_raw_share():
    teacher = TeacherFactory()
    student, classmate = StudentFactory(), StudentFactory()
    classroom = ClassroomFactory(teachers=[teacher], students=[student, classmate])
    article = ArticleFactory(owner=teacher)
    questions = bank_questions(article, {"claims": 10, "sourcing": 1})
    quiz = QuizFactory(owner=teacher, questions=questions)
    assignment = AssignmentFactory(
        classroom=classroom, quiz=quiz, opens_at=CLOSE - timedelta(days=7), due_at=CLOSE
    )
    # The student: 0 of 1 on sourcing (0%), 2 of 10 on claims (20%); the classmate 1/1, 8/10.
    AttemptFactory(assignment=assignment, student=student, submitted_at=CLOSE, right_claims=2)
    AttemptFactory(
        assignment=assignment,
        student=classmate,
        submitted_at=CLOSE,
        right_claims=8,
        right_sourcing=1,
    )

    estimates = selectors.skill_estimates(student=student, classroom=classroom)

    # Priors: the class's 10/20 on claims and 1/2 on sourcing; no answers on attribution: 0.6.
    assert estimates["claims"] == pytest.approx((2 + 5 * 0.5) / (10 + 5))  # 0.30
    assert estimates["sourcing"] == pytest.approx((0 + 5 * 0.5) / (1 + 5))  # 0.42
    assert estimates["attribution"] == pytest.approx(0.6)
    # By raw share sourcing (0%) would be weakest; one answer is too little to trust.
    assert min(estimates, key=estimates.get) == "claims"


@pytest.mark.django_db
def test_booster_answers_count_in_the_estimate():
    classroom, assignment, (student,) = closed_class()
    question = QuestionFactory(skill="attribution")
    booster = BoosterFactory(assignment=assignment, student=student, questions=[question])
    BoosterItem.objects.filter(booster=booster).update(is_correct=False, answered_at=CLOSE)
    estimates = selectors.skill_estimates(student=student, classroom=classroom)
    assert estimates["attribution"] == pytest.approx((0 + 5 * 0.6) / (1 + 5))


# The bank a booster draws on


@pytest.mark.django_db
def test_item_bank_leaves_out_what_the_student_met_in_the_last_28_days():
    classroom, assignment, (student,) = closed_class(bank={"claims": 3})
    recent, old, in_booster = (
        selectors.item_bank(student=student, classroom=classroom, now=CLOSE)
        .filter(quiz_items__isnull=True)
        .order_by("pk")
    )
    attempt = assignment.attempts.get(student=student)
    respond(
        attempt=attempt, question=recent, is_correct=True, answered_at=CLOSE - timedelta(days=27)
    )
    respond(attempt=attempt, question=old, is_correct=True, answered_at=CLOSE - timedelta(days=29))
    with time_machine.travel(CLOSE - timedelta(days=5), tick=False):
        BoosterFactory(assignment=assignment, student=student, questions=[in_booster])

    bank = set(selectors.item_bank(student=student, classroom=classroom, now=CLOSE))

    assert recent not in bank and in_booster not in bank
    assert old in bank
    later = set(
        selectors.item_bank(student=student, classroom=classroom, now=CLOSE + timedelta(days=30))
    )
    assert {recent, in_booster, old} <= later


@pytest.mark.django_db
def test_item_bank_never_spoils_an_open_or_upcoming_assignment_until_it_is_handed_in():
    classroom, _assignment, (student,) = closed_class()
    teacher = classroom.teachers.get()
    open_quiz = QuizFactory(owner=teacher, questions=2)
    upcoming_quiz = QuizFactory(owner=teacher, questions=2)
    open_article = open_quiz.questions.first().article
    upcoming_article = upcoming_quiz.questions.first().article
    extra_on_open = QuestionFactory(article=open_article, owner=teacher)  # not in the quiz
    open_assignment = AssignmentFactory(
        classroom=classroom, quiz=open_quiz, opens_at=CLOSE, due_at=CLOSE + timedelta(days=7)
    )
    # In another class of the student's: it spoils just the same.
    other_class = ClassroomFactory(teachers=[teacher], students=[student])
    AssignmentFactory(
        classroom=other_class,
        quiz=upcoming_quiz,
        opens_at=CLOSE + timedelta(days=3),
        due_at=CLOSE + timedelta(days=7),
    )
    now = CLOSE + timedelta(days=1)

    articles = {
        q.article_id for q in selectors.item_bank(student=student, classroom=classroom, now=now)
    }
    assert open_article.pk not in articles and upcoming_article.pk not in articles

    AttemptFactory(assignment=open_assignment, student=student, submitted_at=now)
    bank = set(selectors.item_bank(student=student, classroom=classroom, now=now))
    assert extra_on_open in bank
    assert not {q.article_id for q in bank} & {upcoming_article.pk}


@pytest.mark.django_db
def test_item_bank_holds_the_class_teachers_questions_and_the_practice_library():
    classroom, _assignment, (student,) = closed_class(bank={"claims": 1})
    stranger = TeacherFactory()
    theirs = QuestionFactory(article=ArticleFactory(owner=stranger), owner=stranger)
    library = QuestionFactory(
        article=ArticleFactory(owner=stranger, slug="practice-harbour"), owner=stranger
    )
    draft = QuestionFactory(article=ArticleFactory(owner=classroom.teachers.get(), status="draft"))
    bank = set(selectors.item_bank(student=student, classroom=classroom, now=CLOSE))
    assert library in bank
    assert theirs not in bank and draft not in bank


@pytest.mark.django_db
def test_facility_is_the_share_right_from_ten_answers_else_the_kinds_prior():
    classroom, assignment, (student,) = closed_class(bank={"claims": 1})
    (question,) = (
        selectors.item_bank(student=student, classroom=classroom, now=CLOSE)
        .filter(quiz_items__isnull=True)
        .order_by("pk")
    )
    assert question.facility == pytest.approx(0.65)  # multiple choice, no answers yet
    others = [StudentFactory() for _ in range(9)]
    for index, other in enumerate(others):
        attempt = AttemptFactory(assignment=assignment, student=other, submitted_at=CLOSE)
        respond(attempt=attempt, question=question, is_correct=index < 3)
    booster = BoosterFactory(assignment=assignment, student=others[0], questions=[question])
    booster.items.update(is_correct=True, answered_at=CLOSE)
    # 3 of 9 responses and 1 of 1 booster answers right: 4 of 10.
    (question,) = selectors.item_bank(student=student, classroom=classroom, now=CLOSE).filter(
        pk=question.pk
    )
    assert question.facility == pytest.approx(0.4)


# Choosing and ordering the questions


def fake_bank(spec: list[tuple[str, float]]) -> list:
    return [
        SimpleNamespace(pk=pk, skill=skill, facility=facility)
        for pk, (skill, facility) in enumerate(spec, start=1)
    ]


def test_three_on_the_weakest_skill_and_two_from_the_others_never_three_in_a_row():
    bank = fake_bank([("claims", 0.7)] * 5 + [("sourcing", 0.7)] * 3 + [("attribution", 0.7)] * 3)
    chosen = booster_questions_choose(bank, weakest="claims", level=0)
    skills = [q.skill for q in chosen]
    assert sorted(skills) == ["attribution", "claims", "claims", "claims", "sourcing"]
    assert skills == ["claims", "attribution", "claims", "sourcing", "claims"]


def test_interleaving_keeps_any_skill_from_three_in_a_row_where_it_can():
    questions = fake_bank([("claims", 0)] * 4 + [("sourcing", 0)] * 2)
    skills = [q.skill for q in items_interleave(questions)]
    assert not any(skills[i] == skills[i + 1] == skills[i + 2] for i in range(len(skills) - 2))


def test_a_small_bank_gives_what_it_has():
    bank = fake_bank([("sourcing", 0.7), ("attribution", 0.7)])
    assert len(booster_questions_choose(bank, weakest="claims", level=0)) == 2
    assert booster_questions_choose([], weakest="claims", level=0) == []


def test_between_questions_alike_the_article_nearest_the_assignments_reading_level_comes_first():
    bank = [
        SimpleNamespace(pk=1, skill="claims", facility=0.7, reading_grade=13.0),
        SimpleNamespace(pk=2, skill="claims", facility=0.7, reading_grade=7.5),
        SimpleNamespace(pk=3, skill="claims", facility=0.7, reading_grade=None),
        SimpleNamespace(pk=4, skill="claims", facility=0.2, reading_grade=8.0),
    ]

    chosen = booster_questions_choose(bank, weakest="claims", level=0, reading_grade=8.0, size=3)

    # Facility first (the 0.2 question is not taken); then the level nearest grade 8; a
    # question whose article has no level is not held back by it.
    assert [q.pk for q in chosen] == [2, 3, 1]


def test_a_higher_level_prefers_harder_questions():
    bank = fake_bank([("claims", 0.9), ("claims", 0.7), ("claims", 0.5), ("claims", 0.3)])
    easy = booster_questions_choose(bank, weakest="claims", level=-2, size=1)
    usual = booster_questions_choose(bank, weakest="claims", level=0, size=1)
    hard = booster_questions_choose(bank, weakest="claims", level=2, size=1)
    assert [easy[0].facility, usual[0].facility, hard[0].facility] == [0.9, 0.7, 0.5]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("previous_level", "right", "level"),
    [(0, 4, 1), (0, 5, 1), (0, 3, 0), (0, 2, -1), (2, 5, 2), (-2, 0, -2), (1, 3, 1)],
)
def test_level_steps_up_after_80_percent_and_down_after_40(previous_level, right, level):
    _classroom, assignment, (student,) = closed_class()
    questions = [QuestionFactory() for _ in range(5)]
    booster = BoosterFactory(
        assignment=assignment,
        student=student,
        level=previous_level,
        finished_at=CLOSE,
        questions=questions,
    )
    for index, item in enumerate(booster.items.order_by("position")):
        item.is_correct = index < right
        item.answered_at = CLOSE
        item.save()
    assert booster_level(student=student) == level


@pytest.mark.django_db
def test_first_booster_is_level_zero(student):
    assert booster_level(student=student) == 0


# Scheduling


@pytest.mark.django_db
def test_boosters_fall_due_at_the_close_plus_each_booster_day():
    with time_machine.travel(CLOSE - timedelta(days=1), tick=False) as clock:
        _classroom, _assignment, (_student,) = closed_class()
        clock.move_to(CLOSE + timedelta(days=2) - timedelta(minutes=1))
        assert services.boosters_create_due() == 0

        clock.move_to(CLOSE + timedelta(days=2))
        assert services.boosters_create_due() == 1
        booster = Booster.objects.get()
        assert (booster.slot, booster.due_at, booster.level) == (1, CLOSE + timedelta(days=2), 0)
        assert booster.items.count() == 5
        assert services.boosters_create_due() == 0

        clock.move_to(CLOSE + timedelta(days=7, minutes=5))
        assert services.boosters_create_due() == 1
        assert list(Booster.objects.values_list("slot", flat=True)) == [1, 2]
        # Nothing it drew before comes again within 28 days.
        first, second = Booster.objects.order_by("slot")
        assert not set(first.items.values_list("question", flat=True)) & set(
            second.items.values_list("question", flat=True)
        )


@pytest.mark.django_db
def test_a_booster_targets_the_weakest_skill_and_interleaves():
    with time_machine.travel(CLOSE + timedelta(days=3), tick=False):
        _classroom, _assignment, (_student,) = closed_class(
            bank={"claims": 4, "sourcing": 4, "attribution": 4}
        )
        # The quiz's three questions are claims, all wrong: claims is the weakest.
        assert services.boosters_create_due() == 1
        booster = Booster.objects.get()
        skills = [item.question.skill for item in selectors.booster_items(booster=booster)]
    assert booster.skill == "claims"
    assert skills.count("claims") == 3 and len(skills) == 5
    assert not any(skills[i] == skills[i + 1] == skills[i + 2] for i in range(3))


@pytest.mark.django_db
def test_a_missed_slot_is_skipped_when_a_later_one_is_due():
    with time_machine.travel(CLOSE - timedelta(days=1), tick=False) as clock:
        _classroom, _assignment, _people = closed_class()
        clock.move_to(CLOSE + timedelta(days=22))
        assert services.boosters_create_due() == 1
        booster = Booster.objects.get()
    assert (booster.slot, booster.due_at) == (3, CLOSE + timedelta(days=21))


@pytest.mark.django_db
def test_closing_early_starts_the_clock():
    with time_machine.travel(CLOSE - timedelta(days=3), tick=False) as clock:
        _classroom, assignment, _people = closed_class()
        services.assignment_close(assignment=assignment)
        clock.move_to(CLOSE - timedelta(days=1))
        assert services.boosters_create_due() == 1
        assert Booster.objects.get().due_at == CLOSE - timedelta(days=1)


@pytest.mark.django_db
def test_no_boosters_when_they_are_off_or_the_student_did_not_hand_in():
    with time_machine.travel(CLOSE - timedelta(days=1), tick=False) as clock:
        closed_class(boosters=False)
        _classroom, assignment, _people = closed_class()
        Booster.objects.all().delete()
        assignment.attempts.all().delete()  # no one handed it in
        absent = StudentFactory()
        assignment.classroom.students.add(absent)
        clock.move_to(CLOSE + timedelta(days=30))
        assert services.boosters_create_due() == 0
    assert not Booster.objects.exists()


@pytest.mark.django_db
def test_an_assignment_with_no_close_never_triggers():
    with time_machine.travel(CLOSE - timedelta(days=1), tick=False) as clock:
        _classroom, assignment, _people = closed_class()
        Assignment.objects.filter(pk=assignment.pk).update(due_at=None)
        clock.move_to(CLOSE + timedelta(days=30))
        assert services.boosters_create_due() == 0


@pytest.mark.django_db
def test_no_booster_from_an_empty_bank():
    with time_machine.travel(CLOSE + timedelta(days=3), tick=False):
        _classroom, assignment, (_student,) = closed_class(bank={})
        # The quiz's own questions were just answered: nothing left to draw.
        attempt = assignment.attempts.get()
        for question in assignment.quiz.questions.all():
            respond(attempt=attempt, question=question, is_correct=False)
        assert services.boosters_create_due() == 0


@pytest.mark.django_db
def test_the_command_makes_each_booster_once(capsys):
    with time_machine.travel(CLOSE - timedelta(days=1), tick=False) as clock:
        closed_class(students=2)
        clock.move_to(CLOSE + timedelta(days=2, hours=1))
        call_command("boosters_due")
        call_command("boosters_due")
    assert capsys.readouterr().out.splitlines() == ["2 boosters made.", "0 boosters made."]
    assert Booster.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_make_exactly_one_booster_per_student_and_slot():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    _classroom, assignment, people = closed_class(students=6)
    now = CLOSE + timedelta(days=2, hours=1)
    runs = 4
    barrier = threading.Barrier(runs)
    made = []

    def run():
        barrier.wait()
        try:
            made.append(services.boosters_create_due(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(made) == len(people)
    assert Booster.objects.filter(assignment=assignment, slot=1).count() == len(people)
    assert set(Booster.objects.values_list("student", flat=True)) == {s.pk for s in people}
    for booster in Booster.objects.all():
        assert booster.items.count() == 5


# Answering


@pytest.fixture
def booster(db):
    _classroom, assignment, (student,) = closed_class()
    questions = [QuestionFactory(), QuestionFactory()]
    return BoosterFactory(assignment=assignment, student=student, questions=questions)


def right_choice(question):
    return question.choices.get(is_correct=True).pk


def test_an_answer_is_graded_and_stored_once(booster):
    first, second = (item.question for item in booster.items.order_by("position"))
    kwargs = {"booster_id": booster.pk, "student": booster.student, "question_id": first.pk}
    result = services.booster_answer(**kwargs, answer=Answer(choice_id=right_choice(first)))
    assert (result.refusal, result.created, result.response.is_correct) == (None, True, True)
    assert [c.pk for c in result.choices] == list(
        first.choices.order_by("position").values_list("pk", flat=True)
    )

    again = services.booster_answer(**kwargs, answer=Answer(choice_id=right_choice(first)))
    assert (again.refusal, again.created) == (None, False)
    wrong = first.choices.filter(is_correct=False).first().pk
    other = services.booster_answer(**kwargs, answer=Answer(choice_id=wrong))
    assert other.refusal == Refusal.ALREADY_ANSWERED
    booster.refresh_from_db()
    assert booster.finished_at is None

    last = services.booster_answer(
        booster_id=booster.pk,
        student=booster.student,
        question_id=second.pk,
        answer=Answer(choice_id=second.choices.filter(is_correct=False).first().pk),
    )
    assert last.created and last.response.is_correct is False
    booster.refresh_from_db()
    assert booster.is_finished
    assert selectors.boosters_due_for(student=booster.student) == []


def test_answers_that_cannot_be_graded_are_refused(booster):
    question = booster.items.first().question
    kwargs = {"booster_id": booster.pk, "student": booster.student, "question_id": question.pk}
    refusals = [
        services.booster_answer(**kwargs, answer=answer).refusal
        for answer in (Answer(), Answer(unreadable=True), Answer(choice_id=10**6))
    ]
    assert refusals == [Refusal.NO_ANSWER, Refusal.UNREADABLE, Refusal.BAD_CHOICE]
    assert not BoosterItem.objects.filter(answered_at__isnull=False).exists()


def test_someone_elses_booster_or_a_question_not_in_it_is_not_found(booster):
    question = booster.items.first().question
    answer = Answer(choice_id=right_choice(question))
    stranger = services.booster_answer(
        booster_id=booster.pk, student=StudentFactory(), question_id=question.pk, answer=answer
    )
    elsewhere = QuestionFactory()
    not_in_it = services.booster_answer(
        booster_id=booster.pk,
        student=booster.student,
        question_id=elsewhere.pk,
        answer=Answer(choice_id=right_choice(elsewhere)),
    )
    assert stranger.refusal == not_in_it.refusal == Refusal.NOT_FOUND
    assert stranger.response is None


def test_a_student_removed_from_the_class_cannot_answer(booster):
    booster.assignment.classroom.students.remove(booster.student)
    question = booster.items.first().question
    result = services.booster_answer(
        booster_id=booster.pk,
        student=booster.student,
        question_id=question.pk,
        answer=Answer(choice_id=right_choice(question)),
    )
    assert result.refusal == Refusal.NOT_FOUND


# What is due, and the trends


def test_boosters_due_for_counts_items_and_answers(booster):
    booster.items.filter(position=1).update(is_correct=True, answered_at=CLOSE)
    BoosterFactory(
        assignment=booster.assignment,
        student=booster.student,
        slot=2,
        due_at=CLOSE + timedelta(days=400),
        questions=[QuestionFactory()],
    )
    (due,) = selectors.boosters_due_for(student=booster.student)
    assert (due.pk, due.item_count, due.answered_count) == (booster.pk, 2, 1)


def class_with_boosters(students: int):
    classroom, assignment, people = closed_class(students=students)
    for student in people:
        booster = BoosterFactory(
            assignment=assignment,
            student=student,
            due_at=CLOSE + timedelta(days=2),
            questions=[QuestionFactory(skill="claims"), QuestionFactory(skill="sourcing")],
        )
        booster.items.update(is_correct=False, answered_at=CLOSE + timedelta(days=2))
    return classroom, people


@pytest.mark.django_db
@pytest.mark.parametrize("students", [1, 6])
def test_boosters_due_for_takes_one_query_whatever_the_number(students, django_assert_num_queries):
    _classroom, people = class_with_boosters(students)
    for _student in people:
        BoosterFactory(
            assignment=Booster.objects.filter(student=people[0]).first().assignment,
            student=people[0],
            slot=1 + Booster.objects.filter(student=people[0]).count(),
            questions=[QuestionFactory()],
        )
    with django_assert_num_queries(1):
        due = selectors.boosters_due_for(student=people[0])
    assert len(due) == students + 1
    assert {b.assignment.quiz.title for b in due}  # selected with it, no more queries


@pytest.mark.django_db
@pytest.mark.parametrize("students", [2, 7])
def test_class_booster_trend_takes_the_same_queries_whatever_the_class_size(
    students, django_assert_num_queries
):
    classroom, _people = class_with_boosters(students)
    with django_assert_num_queries(7):
        trend = selectors.class_booster_trend(classroom=classroom, now=CLOSE + timedelta(days=3))
    assert trend.completion == (students, 0)
    assert trend.labels == ["Assignments", "Booster 1", "Booster 2", "Booster 3"]
    claims = next(s for s in trend.skills if s.skill == "claims")
    assert claims.points[1] == ("Booster 1", 0.0, students)
    assert claims.points[2] == ("Booster 2", None, 0)


@pytest.mark.django_db
def test_a_student_whose_latest_booster_is_20_points_below_is_slipping():
    teacher = TeacherFactory()
    steady, slipping, fallen = StudentFactory(), StudentFactory(), StudentFactory()
    classroom = ClassroomFactory(teachers=[teacher], students=[steady, slipping, fallen])
    quiz = QuizFactory(
        owner=teacher, questions=bank_questions(ArticleFactory(owner=teacher), {"claims": 5})
    )
    assignment = AssignmentFactory(
        classroom=classroom, quiz=quiz, opens_at=CLOSE - timedelta(days=7), due_at=CLOSE
    )
    for student, right_in_booster in ((steady, 3), (slipping, 1), (fallen, 0)):
        AttemptFactory(assignment=assignment, student=student, submitted_at=CLOSE, right_claims=4)
        booster = BoosterFactory(
            assignment=assignment,
            student=student,
            questions=[QuestionFactory(skill="claims") for _ in range(4)],
        )
        for index, item in enumerate(booster.items.order_by("position")):
            item.is_correct = index < right_in_booster
            item.answered_at = CLOSE
            item.save()
        booster.finished_at = CLOSE
        booster.save()

    trend = selectors.class_booster_trend(classroom=classroom)

    # 80% in the assignment; 75% (steady), 25% (slipping) and 0% in the booster: the one
    # who fell furthest comes first.
    assert trend.slipping == [(fallen, "claims", 80.0, 0.0), (slipping, "claims", 80.0, 25.0)]
    assert trend.slipping[0].skill_label == "Claims vs facts"
    student_trend = selectors.student_skill_trend(student=slipping, classroom=classroom)
    claims = next(t for t in student_trend if t["skill"] == "claims")
    assert claims["points"] == [("Assignments", 80.0), ("Booster 1", 25.0)]
