"""Sourcewise proposes annotations: what the attribution proposer finds in an article becomes
proposals for review, on import and from the editor's *Propose annotations* button, without
touching the teacher's annotations and without bringing back what the teacher rejected.

Most tests give the proposer's answer themselves (`found`), so they say what the app does with
it whatever the proposer finds; a few run the real one on real text."""

import logging
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

import articles.attribution
from articles.attribution.spans import Attribution
from articles.models import Annotation, AnnotationProposal, Article
from articles.services import (
    PROPOSER_LABEL,
    article_body_update,
    proposal_reject,
    proposals_suggest,
    proposals_suggest_safely,
)
from tests.factories import (
    ARTICLE_BODY,
    AnnotationFactory,
    AnnotationProposalFactory,
    ArticleFactory,
)

pytestmark = pytest.mark.django_db

PROPOSER = AnnotationProposal.Origin.PROPOSER
PENDING = AnnotationProposal.Status.PENDING
STATEMENT = "the bridge would reopen in May"
CRITICS = "Critics argue the repairs were rushed"
POOL = (
    "Aaron Whitlock, the centre’s manager, said the new price was “reasonable for a clean, "
    "comfortable pool”.\n\n"
    "“I swim every day before work,” said Grace Ndlovu, a 52-year-old primary teacher, “so "
    "this increase feels like a punishment.”"
)


def span(text: str, words: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return start, start + len(words)


def mayor(body: str = ARTICLE_BODY, **fields) -> Attribution:
    """The mayor's statement in the factories' article, as the proposer reports it."""
    return Attribution(
        **{
            "cue": (span(body, "said"),),
            "content": (span(body, STATEMENT),),
            "source": (span(body, "The mayor"),),
            "speaker": "The mayor",
            "speaker_kind": "person",
            "kind": "claim",
            "sourcing": "named_person",
            "confidence": 0.8,
            **fields,
        }
    )


def critics(body: str = ARTICLE_BODY) -> Attribution:
    return Attribution(
        cue=(span(body, "according to"),),
        content=(span(body, CRITICS),),
        source=(span(body, "a report seen by the Gazette"),),
        speaker="Report seen by the Gazette",
        speaker_kind="document",
        kind="claim",
        sourcing="named_org",
        confidence=0.7,
    )


# What the proposer offers: every attribution (attributions_find), and with them what else it
# proposes in the editor (statements_find). The tests set both.
PROPOSER_FUNCTIONS = ("attributions_find", "statements_find")


@pytest.fixture
def found(monkeypatch):
    """Set what the proposer finds: found(attributions) or found(a function of the text)."""

    def set_found(answer):
        def find(text: str) -> list[Attribution]:
            return answer(text) if callable(answer) else list(answer)

        for name in PROPOSER_FUNCTIONS:
            monkeypatch.setattr(articles.attribution, name, find)

    return set_found


@pytest.fixture
def broken_proposer(monkeypatch):
    def find(text: str):
        raise RuntimeError("the parser fell over")

    for name in PROPOSER_FUNCTIONS:
        monkeypatch.setattr(articles.attribution, name, find)


@pytest.fixture
def article(teacher):
    return ArticleFactory(owner=teacher, status=Article.Status.DRAFT)


# The service


def test_each_attribution_found_becomes_a_pending_proposal_from_sourcewise(found, article):
    found([mayor()])

    assert proposals_suggest(article=article) == 1

    proposal = article.proposals.get()
    assert (proposal.exact, proposal.start, proposal.end) == (
        STATEMENT,
        *span(article.body, STATEMENT),
    )
    assert (proposal.origin, proposal.origin_label, proposal.status) == (
        PROPOSER,
        PROPOSER_LABEL,
        PENDING,
    )
    assert (proposal.kind, proposal.sourcing, proposal.confidence) == ("claim", "named_person", 0.8)
    assert (proposal.speaker_name, proposal.speaker_kind) == ("The mayor", "person")
    assert proposal.cue == "said"  # the cue's words from the text
    assert article.body[proposal.source_start : proposal.source_end] == "The mayor"
    assert proposal.explanation == "" and proposal.external_id == ""


def test_a_statement_broken_by_its_cue_is_proposed_whole_from_first_to_last_word(found, teacher):
    article = ArticleFactory(owner=teacher, body=POOL)
    first = span(POOL, "I swim every day before work")
    last = span(POOL, "so this increase feels like a punishment.")
    found(
        [
            Attribution(
                cue=(span(POOL, "said", 2),),
                content=(first, last),
                source=(span(POOL, "Grace Ndlovu, a 52-year-old primary teacher"),),
                speaker="Grace Ndlovu",
                speaker_kind="person",
                kind="opinion",
                sourcing="named_person",
                confidence=0.8,
            )
        ]
    )

    proposals_suggest(article=article)

    proposal = article.proposals.get()
    assert (proposal.start, proposal.end) == (first[0], last[1])
    assert proposal.exact.startswith("I swim") and proposal.exact.endswith("punishment.")
    assert proposal.cue == "said"


def test_an_unnamed_speaker_is_proposed_without_a_name_or_source_words(found, article):
    found([mayor(source=(), speaker="", speaker_kind="unnamed", sourcing="unnamed")])

    proposals_suggest(article=article)

    proposal = article.proposals.get()
    assert (proposal.speaker_name, proposal.speaker_kind, proposal.sourcing) == (
        "",
        "unnamed",
        "unnamed",
    )
    assert proposal.source_start is None and proposal.source_end is None


def test_a_value_the_app_does_not_know_is_left_for_the_teacher_to_fill_in(found, article):
    found([mayor(kind="rumour", sourcing="hearsay", speaker_kind="ghost")])

    proposals_suggest(article=article)

    proposal = article.proposals.get()
    assert (proposal.kind, proposal.sourcing, proposal.speaker_kind) == ("", "", "")


def test_asking_again_adds_nothing_new(found, article):
    found([mayor(), critics()])

    assert proposals_suggest(article=article) == 2
    assert proposals_suggest(article=article) == 0
    assert article.proposals.count() == 2


def test_the_teachers_annotations_are_never_changed_and_their_spans_not_proposed(found, article):
    mine = AnnotationFactory(article=article, quote=STATEMENT, kind="opinion", cue="hinted")
    overlapping = AnnotationFactory(article=article, quote="the repairs were rushed")
    before = list(Annotation.objects.order_by("pk").values())
    found([mayor(), critics()])

    assert proposals_suggest(article=article) == 1

    assert list(Annotation.objects.order_by("pk").values()) == before
    assert [p.exact for p in article.proposals.all()] == [CRITICS]
    assert {mine, overlapping} == set(article.annotations.all())


def test_a_rejected_proposal_does_not_come_back_even_after_an_edit_moved_its_words(found, article):
    found(lambda text: [mayor(text), critics(text)])
    proposals_suggest(article=article)
    proposal_reject(proposal=article.proposals.get(exact=STATEMENT))

    article_body_update(article=article, body="Breaking news.\n\n" + article.body)

    assert proposals_suggest(article=article) == 0
    assert article.proposals.count() == 2


def test_a_pending_proposal_whose_words_moved_is_not_offered_twice(found, article):
    found(lambda text: [mayor(text)])
    proposals_suggest(article=article)
    article_body_update(article=article, body="Breaking news.\n\n" + article.body)

    assert proposals_suggest(article=article) == 0


def test_an_import_proposal_of_the_same_words_does_not_hide_the_proposers(found, article):
    AnnotationProposalFactory(
        article=article, quote=STATEMENT, origin=AnnotationProposal.Origin.IMPORT
    )
    found([mayor()])

    assert proposals_suggest(article=article) == 1


def test_a_text_changed_since_it_was_read_is_not_proposed_on(found, article):
    found([mayor()])
    stale = Article.objects.get(pk=article.pk)
    article_body_update(article=article, body="A new text. " + article.body)

    with pytest.raises(ValidationError, match="text changed"):
        proposals_suggest(article=stale)

    assert not article.proposals.exists()


def test_the_real_proposer_finds_the_mayors_statement(article):
    assert proposals_suggest(article=article) >= 1

    proposal = article.proposals.get(exact=STATEMENT)
    assert proposal.cue == "said" and proposal.origin_label == PROPOSER_LABEL
    assert article.body[proposal.source_start : proposal.source_end] == "The mayor"
    for proposal in article.proposals.all():
        assert article.body[proposal.start : proposal.end] == proposal.exact
        assert 0 <= proposal.confidence <= 1


# Never failing: on import, from the button, in a command


def test_safely_reports_how_many_were_found_and_how_many_are_new(found, article):
    found([mayor(), critics()])
    AnnotationFactory(article=article, quote=CRITICS)

    suggested = proposals_suggest_safely(article=article)

    assert (suggested.found, suggested.created, suggested.error) == (2, 1, "")
    assert suggested.message == "1 new proposal to review."
    again = proposals_suggest_safely(article=article)
    assert again.message.startswith("No new proposals: what Sourcewise found is annotated")


def test_safely_says_when_nothing_was_found(found, article):
    found([])

    assert proposals_suggest_safely(article=article).message == (
        "No new proposals: Sourcewise found no attributed statements in the text."
    )


def test_without_the_language_model_the_teacher_is_told_why_nothing_was_proposed(
    found, article, monkeypatch
):
    found([])
    monkeypatch.setattr(articles.attribution, "MODEL_PACKAGES", ("no_such_model_package",))

    suggested = proposals_suggest_safely(article=article)

    assert suggested.message == f"No new proposals: {articles.attribution.model_status()}"
    assert "not installed" in suggested.message


def test_without_the_language_model_tagged_quotations_are_proposed_and_the_teacher_told(
    teacher, monkeypatch
):
    monkeypatch.setattr(articles.attribution, "MODEL_PACKAGES", ("no_such_model_package",))
    article = ArticleFactory(
        owner=teacher,
        body="“We will reopen the bridge in May,” Councillor Gareth Hughes said.\n\n"
        "The council said that the repairs would cost more.",
    )

    suggested = proposals_suggest_safely(article=article)

    proposal = article.proposals.get()
    assert (proposal.exact, proposal.speaker_name, proposal.cue) == (
        "We will reopen the bridge in May",
        "Gareth Hughes",
        "said",
    )
    assert suggested.message == (f"1 new proposal to review. {articles.attribution.model_status()}")


def test_the_kind_and_the_sourcing_each_come_with_a_confidence_shown_to_the_teacher(
    client, teacher
):
    article = ArticleFactory(
        owner=teacher,
        body="“We will reopen the bridge in May,” Councillor Gareth Hughes said.",
    )
    proposals_suggest(article=article)
    proposal = article.proposals.get()
    client.force_login(teacher)

    html = client.get(reverse("admin:articles_article_annotations", args=[article.pk])).content

    assert 0 < proposal.confidence <= min(proposal.kind_confidence, proposal.sourcing_confidence)
    kind = round(proposal.kind_confidence * 100)
    sourcing = round(proposal.sourcing_confidence * 100)
    assert f"Claim ({kind}%)" in html.decode()
    assert f"Named person ({sourcing}%)" in html.decode()


def test_a_failing_proposer_is_logged_and_reported_not_raised(broken_proposer, article, caplog):
    with caplog.at_level(logging.ERROR, logger="articles.services"):
        suggested = proposals_suggest_safely(article=article)

    assert suggested.error == "RuntimeError: the parser fell over"
    assert suggested.message.startswith("No new proposals: the proposer ran into an error")
    assert "Proposing annotations for article" in caplog.text and "fell over" in caplog.text
    assert not article.proposals.exists()


# On import


def import_text(client, title: str = "Council votes"):
    return client.post(
        reverse("admin:articles_article_import"),
        {"title": title, "text": ARTICLE_BODY},
        follow=True,
    )


def test_an_imported_article_comes_with_proposals_and_says_so(client, teacher, found):
    found(lambda text: [mayor(text), critics(text)])
    client.force_login(teacher)

    response = import_text(client)

    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse("articles:review", args=[article.pk])
    html = response.content.decode()
    assert "Imported “Council votes”." in html and "2 new proposals to review." in html
    assert article.proposals.filter(origin=PROPOSER, status=PENDING).count() == 2
    assert not article.annotations.exists()


def test_an_import_stands_when_the_proposer_fails_and_the_teacher_is_told(
    client, teacher, broken_proposer
):
    client.force_login(teacher)

    response = import_text(client)

    article = Article.objects.get()
    assert article.owner == teacher and not article.proposals.exists()
    html = response.content.decode()
    assert "Imported “Council votes”." in html
    assert "No new proposals: the proposer ran into an error" in html


def test_the_import_command_proposes_and_says_how_many_on_its_one_line(tmp_path, teacher, found):
    found(lambda text: [mayor(text)])
    path = tmp_path / "bridge.txt"
    path.write_text("Bridge to reopen\n\n" + ARTICLE_BODY, encoding="utf-8")
    out = StringIO()

    call_command("import_article", str(path), "--owner", teacher.username, stdout=out)

    article = Article.objects.get()
    assert article.proposals.get().exact == STATEMENT
    assert out.getvalue().strip().count("\n") == 0
    assert out.getvalue().strip().endswith("1 new proposal to review.")


def test_the_import_command_imports_when_the_proposer_fails_and_says_why_on_stderr(
    tmp_path, teacher, broken_proposer
):
    path = tmp_path / "bridge.txt"
    path.write_text("Bridge to reopen\n\n" + ARTICLE_BODY, encoding="utf-8")
    out, err = StringIO(), StringIO()

    call_command(
        "import_article", str(path), "--owner", teacher.username, "--json", stdout=out, stderr=err
    )

    assert Article.objects.get().title == "Bridge to reopen"
    assert '"title": "Bridge to reopen"' in out.getvalue()  # the JSON stays clean
    assert "the proposer ran into an error" in err.getvalue()
    assert "RuntimeError: the parser fell over" in err.getvalue()


# The editor's button


def propose_url(article) -> str:
    return reverse("articles:proposals", args=[article.pk])


def editor_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_editor_has_a_propose_button_that_is_a_real_form(client, teacher, article):
    client.force_login(teacher)

    html = client.get(editor_url(article)).content.decode()

    form = html.split('<form id="propose"', 1)[1].split("</form>", 1)[0]
    assert 'method="post"' in form and f'action="{propose_url(article)}"' in form
    assert "csrfmiddlewaretoken" in form and "Propose annotations</button>" in form
    assert 'id="proposer-warning"' not in html  # the model is installed here


def test_the_editor_says_what_is_missing_when_the_language_model_is_not_installed(
    client, teacher, article, monkeypatch
):
    monkeypatch.setattr(articles.attribution, "MODEL_PACKAGES", ("no_such_model_package",))
    client.force_login(teacher)

    html = client.get(editor_url(article)).content.decode()

    warning = html.split('id="proposer-warning">', 1)[1].split("</p>", 1)[0]
    assert warning == articles.attribution.model_status()
    assert "not installed" in warning


def test_the_button_proposes_and_goes_back_to_the_list_with_how_many(
    client, teacher, article, found
):
    found([mayor(), critics()])
    client.force_login(teacher)

    response = client.post(propose_url(article))

    assert response.status_code == 302
    assert response["Location"] == editor_url(article) + "#proposals"
    assert messages_of(response) == ["2 new proposals to review."]
    assert article.proposals.filter(origin=PROPOSER, status=PENDING).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Proposed annotations (2)" in page and "From Sourcewise" in page


def test_the_button_with_nothing_new_says_so(client, teacher, article, found):
    found([mayor()])
    AnnotationFactory(article=article, quote=STATEMENT)
    client.force_login(teacher)

    response = client.post(propose_url(article), follow=True)

    assert response.redirect_chain[-1][0] == editor_url(article) + "#annotation-panel"
    assert "No new proposals: what Sourcewise found is annotated already" in (
        response.content.decode()
    )


def test_the_button_tells_the_teacher_when_the_proposer_fails(
    client, teacher, article, broken_proposer
):
    client.force_login(teacher)

    response = client.post(propose_url(article), follow=True)

    assert response.status_code == 200
    assert "No new proposals: the proposer ran into an error" in response.content.decode()
    assert not article.proposals.exists()


def test_a_get_is_not_allowed(client, teacher, article):
    client.force_login(teacher)

    assert client.get(propose_url(article)).status_code == 405


def test_another_teacher_gets_404_and_nothing_is_proposed(client, other_teacher, article, found):
    found([mayor()])
    client.force_login(other_teacher)

    assert client.post(propose_url(article)).status_code == 404
    assert not article.proposals.exists()


def test_a_student_is_refused(client, student, article, found):
    found([mayor()])
    client.force_login(student)

    assert client.post(propose_url(article)).status_code == 403
    assert not article.proposals.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, article, found):
    found([mayor()])

    response = client.post(propose_url(article))

    assert response.status_code == 302 and "login" in response["Location"]
    assert not article.proposals.exists()


def test_a_teacher_who_may_not_annotate_is_refused(client, teacher, article, found):
    found([mayor()])
    teacher.groups.get().permissions.remove(
        Permission.objects.get(content_type__app_label="articles", codename="add_annotation")
    )
    client.force_login(teacher)

    assert client.post(propose_url(article)).status_code == 403
    assert not article.proposals.exists()


@pytest.mark.parametrize("count", [1, 12])
def test_the_button_uses_the_same_queries_for_1_and_12_proposals(
    client, teacher, article, found, django_assert_num_queries, count
):
    sentences = [f"Witness {n} said the bridge shook." for n in range(count)]
    article.body = "\n\n".join(sentences)
    article.save()
    found(
        lambda text: [
            Attribution(
                cue=(span(text, "said", n + 1),),
                content=(span(text, "the bridge shook.", n + 1),),
                source=(span(text, f"Witness {n}"),),
                speaker=f"Witness {n}",
                speaker_kind="person",
                kind="claim",
                sourcing="named_person",
                confidence=0.8,
            )
            for n in range(count)
        ]
    )
    client.force_login(teacher)

    # Session, user, whether they teach, the article, the user's and group's permissions;
    # then, in two savepoints, the article's row locked, the proposer's earlier proposals,
    # the ids and the spans offered before, the spans annotated and one insert.
    with django_assert_num_queries(16):
        response = client.post(propose_url(article))

    assert response.status_code == 302
    assert article.proposals.count() == count
