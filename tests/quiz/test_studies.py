"""Studies: setting one up on two parallel forms, drawing the students' orders, opening the
tests and answering them."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections
from django.utils import timezone

from quiz import services
from quiz.models import (
    Enrollment,
    Quiz,
    SittingItem,
    Study,
    StudyParticipant,
    StudyPhase,
    StudyPractice,
    StudySitting,
)
from quiz.services import Answer, Refusal
from quiz.services.studies import orders_draw
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    StudyFactory,
    StudySittingFactory,
    TeacherFactory,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def parallel_quizzes(teacher, mix_a, mix_b=None):
    """Two quizzes of the teacher's on two articles; a mix is a list of (kind, skill)."""
    quizzes = []
    for mix in (mix_a, mix_b or mix_a):
        article = ArticleFactory(owner=teacher)
        questions = [
            QuestionFactory(article=article, owner=teacher, kind=kind, skill=skill)
            for kind, skill in mix
        ]
        quizzes.append(QuizFactory(owner=teacher, questions=questions))
    return quizzes


def class_of(teacher, students=0):
    people = [StudentFactory() for _ in range(students)]
    return ClassroomFactory(teachers=[teacher], students=people), people


def study_with(students=4, **kwargs) -> tuple[Study, list]:
    study = StudyFactory(**kwargs)
    people = [StudentFactory() for _ in range(students)]
    study.classroom.students.add(*people)
    return study, people


def right_choice(question) -> int:
    return question.choices.get(is_correct=True).pk


def wrong_choice(question) -> int:
    return question.choices.filter(is_correct=False).first().pk


# Setting up


@pytest.mark.django_db
def test_a_study_is_made_on_two_parallel_forms():
    teacher = TeacherFactory()
    classroom, _people = class_of(teacher)
    form_a, form_b = parallel_quizzes(teacher, [("classification", "claims")] * 2)
    study = services.study_create(
        classroom=classroom, teacher=teacher, title="Spring", form_a=form_a, form_b=form_b
    )
    assert (study.classroom, study.form_a, study.form_b, str(study)) == (
        classroom,
        form_a,
        form_b,
        "Spring",
    )


def refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.study_create(title="Spring", **kwargs)
    return caught.value.message_dict


@pytest.mark.django_db
def test_the_same_quiz_cannot_be_both_forms():
    teacher = TeacherFactory()
    classroom, _people = class_of(teacher)
    quiz = QuizFactory(owner=teacher, questions=2)
    errors = refusal(classroom=classroom, teacher=teacher, form_a=quiz, form_b=quiz)
    assert "different quiz" in errors["form_b"][0]


@pytest.mark.django_db
def test_forms_must_be_the_teachers_own_published_quizzes():
    teacher = TeacherFactory()
    classroom, _people = class_of(teacher)
    theirs = QuizFactory(questions=2)
    draft = QuizFactory(owner=teacher, questions=2, published=False)
    errors = refusal(classroom=classroom, teacher=teacher, form_a=theirs, form_b=draft)
    assert "not one of your quizzes" in errors["form_a"][0]
    assert "not published" in errors["form_b"][0]


@pytest.mark.django_db
def test_a_form_needs_questions():
    teacher = TeacherFactory()
    classroom, _people = class_of(teacher)
    empty = QuizFactory(owner=teacher)
    full = QuizFactory(owner=teacher, questions=2)
    errors = refusal(classroom=classroom, teacher=teacher, form_a=full, form_b=empty)
    assert "has no questions" in errors["form_b"][0]


@pytest.mark.django_db
def test_the_teacher_must_teach_the_class():
    teacher = TeacherFactory()
    form_a, form_b = parallel_quizzes(teacher, [("classification", "claims")])
    errors = refusal(classroom=ClassroomFactory(), teacher=teacher, form_a=form_a, form_b=form_b)
    assert "do not teach this class" in errors["classroom"][0]


@pytest.mark.django_db
def test_forms_with_different_mixes_are_refused_saying_how_they_differ():
    teacher = TeacherFactory()
    classroom, _people = class_of(teacher)
    form_a, form_b = parallel_quizzes(
        teacher,
        [("classification", "claims"), ("classification", "claims"), ("sourcing", "sourcing")],
        [("classification", "claims"), ("attribution", "attribution"), ("sourcing", "sourcing")],
    )
    errors = refusal(classroom=classroom, teacher=teacher, form_a=form_a, form_b=form_b)
    (message,) = errors["form_b"]
    assert "same kinds of question on the same skills" in message
    assert (
        "Classification: claim, fact or opinion on Claims vs facts: form A has 2, form B has 1"
        in (message)
    )
    assert "Attribution: who says it on Attribution: form A has 0, form B has 1" in message
    assert "Sourcing" not in message.split("form B has 1")[-1]
    assert not Study.objects.exists()


@pytest.mark.django_db
def test_the_same_kinds_on_different_skills_differ():
    teacher = TeacherFactory()
    classroom, _people = class_of(teacher)
    form_a, form_b = parallel_quizzes(
        teacher, [("multiple_choice", "claims")], [("multiple_choice", "sourcing")]
    )
    errors = refusal(classroom=classroom, teacher=teacher, form_a=form_a, form_b=form_b)
    assert "form A has 1, form B has 0" in errors["form_b"][0]


@pytest.mark.django_db
def test_the_database_refuses_a_study_with_one_form_twice():
    study = StudyFactory()
    study.form_b = study.form_a
    with pytest.raises(IntegrityError):
        study.save()


@pytest.mark.django_db
def test_practice_is_an_assignment_of_the_same_class_linked_once():
    study = StudyFactory()
    assignment = AssignmentFactory(classroom=study.classroom)
    services.study_practice_add(study=study, assignment=assignment)
    services.study_practice_add(study=study, assignment=assignment)
    assert list(study.practice_links.values_list("assignment", flat=True)) == [assignment.pk]
    with pytest.raises(ValidationError):
        services.study_practice_add(study=study, assignment=AssignmentFactory())
    assert StudyPractice.objects.count() == 1


# Counterbalancing


def test_each_order_takes_the_other_form_at_the_post_test_and_the_first_again_at_retention():
    study = Study(form_a=Quiz(title="quiz A"), form_b=Quiz(title="quiz B"))
    forms = {
        order: [str(study.form_for(order, phase)) for phase in ("pre", "post", "retention")]
        for order in ("AB", "BA")
    }
    assert forms == {"AB": ["quiz A", "quiz B", "quiz A"], "BA": ["quiz B", "quiz A", "quiz B"]}
    assert Study.form_letter("BA", Study.Phase.POST) == "A"


@pytest.mark.parametrize("size", [1, 2, 5, 10, 31])
def test_orders_drawn_split_the_newcomers_into_halves(size):
    import random

    orders = orders_draw(size, rng=random.Random(size))
    counts = Counter(orders)
    assert abs(counts["AB"] - counts["BA"]) <= 1
    assert sum(counts.values()) == size


def test_orders_drawn_for_latecomers_even_up_the_groups():
    import random

    assert orders_draw(2, ab=5, ba=3, rng=random.Random(0)) == ["BA", "BA"]


@pytest.mark.django_db
@pytest.mark.parametrize("students", [1, 7, 12])
def test_every_enrolled_student_gets_an_order_and_a_pseudonym_once(students):
    study, people = study_with(students=students)
    participants = services.participants_ensure(study=study, seed=1)
    again = services.participants_ensure(study=study, seed=2)
    assert [p.pk for p in participants] == [p.pk for p in again]
    assert {p.student_id for p in participants} == {s.pk for s in people}
    counts = Counter(p.order for p in participants)
    assert abs(counts["AB"] - counts["BA"]) <= 1
    pseudonyms = [p.pseudonym for p in participants]
    assert len(set(pseudonyms)) == students
    assert all(len(p) == 8 and int(p, 16) >= 0 for p in pseudonyms)
    assert not any(s.username in pseudonyms for s in people)


@pytest.mark.django_db
def test_the_split_is_at_random_and_repeatable_with_a_seed():
    draws = []
    for _ in range(2):
        study, people = study_with(students=10)
        by_position = {s.pk: i for i, s in enumerate(people)}
        participants = services.participants_ensure(study=study, seed=7)
        draws.append(
            tuple(p.order for p in sorted(participants, key=lambda p: by_position[p.student_id]))
        )
    assert draws[0] == draws[1]
    splits = set()
    for seed in range(6):
        study, people = study_with(students=10)
        by_position = {s.pk: i for i, s in enumerate(people)}
        participants = services.participants_ensure(study=study, seed=seed)
        splits.add(
            tuple(p.order for p in sorted(participants, key=lambda p: by_position[p.student_id]))
        )
    assert len(splits) > 1


@pytest.mark.django_db
def test_a_student_no_longer_in_the_class_is_not_returned():
    study, (staying, leaving) = study_with(students=2)
    services.participants_ensure(study=study)
    Enrollment.objects.filter(student=leaving).delete()
    participants = services.participants_ensure(study=study)
    assert [p.student_id for p in participants] == [staying.pk]
    assert StudyParticipant.objects.filter(study=study).count() == 2


# Opening a test


@pytest.mark.django_db
def test_opening_the_pre_test_seats_everyone_on_the_form_of_their_order_in_quiz_order():
    study, _people = study_with(students=6)
    opened = services.phase_open(study=study, phase="pre", opens_at=NOW)
    assert (opened.phase, opened.opens_at, opened.due_at) == ("pre", NOW, None)
    sittings = StudySitting.objects.filter(phase=opened).select_related("participant")
    assert sittings.count() == 6
    quiz_order = {
        form: list(quiz.items.order_by("position").values_list("question_id", flat=True))
        for form, quiz in (("A", study.form_a), ("B", study.form_b))
    }
    for sitting in sittings:
        assert sitting.form == {"AB": "A", "BA": "B"}[sitting.participant.order]
        items = list(sitting.items.order_by("position"))
        assert [i.question_id for i in items] == quiz_order[sitting.form]
        assert [i.position for i in items] == [1, 2, 3]
        assert not any(i.is_answered for i in items)
        assert (sitting.started_at, sitting.finished_at) == (None, None)
    assert Counter(s.form for s in sittings) == {"A": 3, "B": 3}


@pytest.mark.django_db
def test_each_student_takes_the_other_form_at_the_post_test_and_theirs_again_at_retention():
    study, _people = study_with(students=4)
    forms = {}
    for offset, phase in enumerate(("pre", "post", "retention")):
        opened = services.phase_open(
            study=study, phase=phase, opens_at=NOW + timedelta(days=7 * offset)
        )
        for sitting in opened.sittings.select_related("participant"):
            forms.setdefault(sitting.participant.pk, [sitting.participant.order]).append(
                sitting.form
            )
    assert {tuple(f) for f in forms.values()} == {("AB", "A", "B", "A"), ("BA", "B", "A", "B")}


@pytest.mark.django_db
def test_opening_twice_makes_nothing_new_and_keeps_the_times():
    study, _people = study_with(students=3)
    first = services.phase_open(study=study, phase="pre", opens_at=NOW)
    counts = (StudySitting.objects.count(), SittingItem.objects.count())
    again = services.phase_open(study=study, phase="pre", opens_at=NOW + timedelta(days=1))
    assert again.pk == first.pk
    assert again.opens_at == NOW
    assert (StudySitting.objects.count(), SittingItem.objects.count()) == counts == (3, 9)
    assert StudyPhase.objects.count() == 1


@pytest.mark.django_db
def test_a_student_who_joined_after_the_pre_test_is_seated_at_the_post_test():
    study, _people = study_with(students=3)
    services.phase_open(study=study, phase="pre", opens_at=NOW)
    latecomer = StudentFactory()
    study.classroom.students.add(latecomer)
    post = services.phase_open(study=study, phase="post", opens_at=NOW + timedelta(days=7))
    participant = StudyParticipant.objects.get(study=study, student=latecomer)
    assert post.sittings.filter(participant=participant).exists()
    assert not participant.sittings.filter(phase__phase="pre").exists()
    assert post.sittings.count() == 4


@pytest.mark.django_db
def test_a_student_who_left_gets_no_sitting_at_the_next_test():
    study, (staying, leaving) = study_with(students=2)
    services.phase_open(study=study, phase="pre", opens_at=NOW)
    Enrollment.objects.filter(student=leaving).delete()
    post = services.phase_open(study=study, phase="post", opens_at=NOW + timedelta(days=7))
    assert list(post.sittings.values_list("participant__student", flat=True)) == [staying.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opened", "phase", "needed"),
    [
        ([], "post", "Open the pre-test before the post-test."),
        ([], "retention", "Open the post-test before the retention test."),
        (["pre"], "retention", "Open the post-test before the retention test."),
    ],
)
def test_the_tests_open_in_order(opened, phase, needed):
    study, _people = study_with(students=1)
    for earlier in opened:
        services.phase_open(study=study, phase=earlier, opens_at=NOW)
    with pytest.raises(ValidationError) as caught:
        services.phase_open(study=study, phase=phase, opens_at=NOW)
    assert caught.value.messages == [needed]
    assert not StudyPhase.objects.filter(phase=phase).exists()


@pytest.mark.django_db
def test_a_test_must_be_due_after_it_opens_and_be_a_known_phase():
    study, _people = study_with(students=1)
    with pytest.raises(ValidationError) as caught:
        services.phase_open(study=study, phase="pre", opens_at=NOW, due_at=NOW)
    assert "due_at" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.phase_open(study=study, phase="midterm", opens_at=NOW)
    assert "phase" in caught.value.message_dict
    assert not StudySitting.objects.exists()


def test_a_phase_is_open_from_its_opening_until_it_is_due():
    phase = StudyPhase(opens_at=NOW, due_at=NOW + timedelta(hours=1))
    assert not phase.is_open(NOW - timedelta(seconds=1))
    assert phase.is_open(NOW)
    assert not phase.is_open(NOW + timedelta(hours=1))
    assert StudyPhase(opens_at=NOW).is_open(NOW + timedelta(days=999))


# Answering


@pytest.fixture
def sitting(db):
    """A pre-test sitting open now (opened an hour ago, due in a week), three questions."""
    return StudySittingFactory()


def answer(sitting, question, choice_id, **kwargs):
    return services.sitting_answer(
        sitting_id=sitting.pk,
        student=sitting.participant.student,
        question_id=question.pk,
        answer=Answer(choice_id=choice_id),
        **kwargs,
    )


def questions_of(sitting):
    return [item.question for item in sitting.items.order_by("position")]


def test_an_answer_is_graded_stored_and_starts_the_sitting(sitting):
    first, *_rest = questions_of(sitting)
    result = answer(sitting, first, right_choice(first))
    assert (result.refusal, result.created, result.response.is_correct) == (None, True, True)
    assert isinstance(result.response, SittingItem)
    assert result.attempt is None
    assert result.question_ids == [q.pk for q in questions_of(sitting)]
    sitting.refresh_from_db()
    assert sitting.started_at is not None
    assert sitting.finished_at is None


def test_the_same_answer_twice_returns_the_stored_one_and_another_is_refused(sitting):
    first, *_rest = questions_of(sitting)
    answer(sitting, first, wrong_choice(first))
    again = answer(sitting, first, wrong_choice(first))
    assert (again.refusal, again.created, again.response.is_correct) == (None, False, False)
    other = answer(sitting, first, right_choice(first))
    assert other.refusal == Refusal.ALREADY_ANSWERED
    assert "first answer stands" in other.message
    item = sitting.items.get(question=first)
    assert (item.choice_id, item.is_correct) == (wrong_choice(first), False)


def test_the_last_answer_finishes_the_sitting(sitting):
    questions = questions_of(sitting)
    now = timezone.now()
    for question in questions[:-1]:
        answer(sitting, question, right_choice(question), now=now)
    sitting.refresh_from_db()
    assert sitting.finished_at is None
    answer(sitting, questions[-1], wrong_choice(questions[-1]), now=now + timedelta(minutes=1))
    sitting.refresh_from_db()
    assert (sitting.started_at, sitting.finished_at) == (now, now + timedelta(minutes=1))
    last = answer(sitting, questions[-1], wrong_choice(questions[-1]))
    assert (last.refusal, last.created) == (None, False)


def test_answers_that_cannot_be_graded_are_refused(sitting):
    first, *_rest = questions_of(sitting)
    other_question = QuestionFactory()
    assert answer(sitting, first, None).refusal == Refusal.NO_ANSWER
    assert answer(sitting, first, right_choice(other_question)).refusal == Refusal.BAD_CHOICE
    assert not sitting.items.filter(answered_at__isnull=False).exists()


def test_only_the_sittings_own_student_in_the_class_and_its_questions(sitting):
    first, *_rest = questions_of(sitting)
    stranger = StudentFactory()
    result = services.sitting_answer(
        sitting_id=sitting.pk,
        student=stranger,
        question_id=first.pk,
        answer=Answer(choice_id=right_choice(first)),
    )
    assert result.refusal == Refusal.NOT_FOUND
    other = QuestionFactory()
    assert answer(sitting, other, right_choice(other)).refusal == Refusal.NOT_FOUND
    Enrollment.objects.filter(student=sitting.participant.student).delete()
    removed = answer(sitting, first, right_choice(first))
    assert (removed.refusal, removed.question) == (Refusal.NOT_FOUND, None)
    assert not sitting.items.filter(answered_at__isnull=False).exists()


def test_no_answer_before_the_test_opens_or_once_it_is_due(sitting):
    first, *_rest = questions_of(sitting)
    phase = sitting.phase
    early = answer(sitting, first, right_choice(first), now=phase.opens_at - timedelta(minutes=1))
    assert early.refusal == Refusal.NOT_OPEN
    late = answer(sitting, first, right_choice(first), now=phase.due_at)
    assert late.refusal == Refusal.CLOSED
    assert "closed on" in late.message
    assert not sitting.items.filter(answered_at__isnull=False).exists()


def test_an_answer_given_in_time_is_still_returned_after_the_test_is_due(sitting):
    first, *_rest = questions_of(sitting)
    answer(sitting, first, right_choice(first))
    late = answer(sitting, first, right_choice(first), now=sitting.phase.due_at)
    assert (late.refusal, late.created) == (None, False)


def test_handing_in_early_refuses_further_answers(sitting):
    first, second, _third = questions_of(sitting)
    answer(sitting, first, right_choice(first))
    services.sitting_finish(sitting=sitting, now=NOW)
    services.sitting_finish(sitting=sitting, now=NOW + timedelta(days=1))
    sitting.refresh_from_db()
    assert sitting.finished_at == NOW
    refused = answer(sitting, second, right_choice(second))
    assert refused.refusal == Refusal.FINISHED
    assert sitting.items.filter(answered_at__isnull=True).count() == 2


def test_starting_notes_the_time_once(sitting):
    services.sitting_start(sitting=sitting, now=NOW)
    services.sitting_start(sitting=sitting, now=NOW + timedelta(hours=1))
    sitting.refresh_from_db()
    assert sitting.started_at == NOW
    first, *_rest = questions_of(sitting)
    answer(sitting, first, right_choice(first))
    sitting.refresh_from_db()
    assert sitting.started_at == NOW


def test_handing_in_without_an_answer_starts_and_finishes_it(sitting):
    services.sitting_finish(sitting=sitting, now=NOW)
    sitting.refresh_from_db()
    assert (sitting.started_at, sitting.finished_at) == (NOW, NOW)


# Concurrency (PostgreSQL)


def _in_threads(runs, work):
    barrier = threading.Barrier(runs)
    errors = []

    def run(index):
        barrier.wait()
        try:
            work(index)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_seat_each_student_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    study, people = study_with(students=8)
    errors = _in_threads(
        4,
        lambda _index: services.phase_open(
            study=Study.objects.get(pk=study.pk), phase="pre", opens_at=NOW
        ),
    )
    assert errors == []
    assert StudyPhase.objects.count() == 1
    assert StudyParticipant.objects.filter(study=study).count() == len(people)
    counts = Counter(StudyParticipant.objects.values_list("order", flat=True))
    assert abs(counts["AB"] - counts["BA"]) <= 1
    assert StudySitting.objects.count() == len(people)
    assert SittingItem.objects.count() == 3 * len(people)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_different_answers_store_exactly_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    sitting = StudySittingFactory()
    question = questions_of(sitting)[0]
    choices = [right_choice(question), wrong_choice(question)] * 2
    results = []

    def work(index):
        results.append((choices[index], answer(sitting, question, choices[index])))

    errors = _in_threads(4, work)
    assert errors == []
    assert sum(result.created for _sent, result in results) == 1
    stored = sitting.items.get(question=question).choice_id
    for sent, result in results:
        assert result.response.choice_id == stored
        expected = None if sent == stored else Refusal.ALREADY_ANSWERED
        assert result.refusal == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_draws_give_each_student_one_order_in_balanced_halves():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    study, people = study_with(students=9)
    errors = _in_threads(
        4, lambda _index: services.participants_ensure(study=Study.objects.get(pk=study.pk))
    )
    assert errors == []
    counts = Counter(StudyParticipant.objects.values_list("order", flat=True))
    assert sum(counts.values()) == len(people)
    assert abs(counts["AB"] - counts["BA"]) <= 1
