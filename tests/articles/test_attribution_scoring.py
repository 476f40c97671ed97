"""The development-set metric: Citron's, over word tokens."""

import importlib.util
import json
from pathlib import Path

import pytest

from articles.attribution import MODEL_PACKAGES
from articles.attribution.scoring import score

TEXT = "“We will win,” she said. He added that the vote was fair."
WIN = {"source": [[15, 18]], "cue": [[19, 23]], "content": [[1, 12]]}
FAIR = {"source": [[25, 27]], "cue": [[28, 33]], "content": [[39, 56]]}


def f1(scores, part, measure):
    return round(scores[part][measure].f1, 3)


def test_a_perfect_proposal_scores_one():
    scores = score([(TEXT, [WIN, FAIR], [WIN, FAIR])])

    assert all(f1(scores, part, m) == 1 for part in scores for m in ("exact", "overlap"))


def test_quotation_marks_and_full_stops_do_not_count():
    with_marks = {**WIN, "content": [[0, 14]]}  # “We will win,”

    scores = score([(TEXT, [with_marks], [WIN])])

    assert f1(scores, "content", "exact") == 1


def test_content_is_exact_only_under_an_overlapping_cue():
    wrong_cue = {**WIN, "cue": [[28, 33]]}  # "added" is not this quote's cue

    scores = score([(TEXT, [wrong_cue], [WIN])])

    assert f1(scores, "content", "exact") == 0
    assert f1(scores, "content", "overlap") == 1


def test_overlap_counts_shared_tokens():
    half = {**FAIR, "content": [[39, 47]]}  # "the vote" of "the vote was fair"

    scores = score([(TEXT, [half], [FAIR])])

    assert scores["content"]["overlap"].precision == 1
    assert scores["content"]["overlap"].recall == 0.5
    assert f1(scores, "content", "exact") == 0


def test_a_missed_attribution_lowers_recall_not_precision():
    scores = score([(TEXT, [WIN], [WIN, FAIR])])

    assert scores["cue"]["exact"].precision == 1
    assert scores["cue"]["exact"].recall == 0.5


def test_nested_attributions_never_score_above_one():
    outer = {"source": [], "cue": [[19, 23]], "content": [[1, 56]]}

    scores = score([(TEXT, [outer, outer], [WIN, FAIR])])

    assert scores["content"]["overlap"].precision <= 1


# The language model: the re-published package is the official release ------------------------

# From Explosion's official metadata of en_core_web_sm 3.8.0 (explosion/spacy-models,
# meta/en_core_web_sm-3.8.0.json): figures measured when the model was trained, which a
# retrained or altered model would not reproduce to ten digits.
OFFICIAL = {
    "version": "3.8.0",
    "spacy_git_version": "5010fcbd3",
    "license": "MIT",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
    "performance": {
        "token_acc": 0.9986194413,
        "tag_acc": 0.972937262,
        "dep_uas": 0.9176955214,
        "dep_las": 0.8991533598,
        "sents_f": 0.9068156724,
        "ents_f": 0.8433119744,
        "speed": 9426.1029865937,
    },
    "labels": {"tagger": 50, "parser": 45, "ner": 18},
}


def installed_meta() -> dict:
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None:
            folder = Path(spec.origin).parent
            return json.loads(next(folder.glob("*/meta.json")).read_text(encoding="utf-8"))
    pytest.fail("No English pipeline installed: `make install` installs requirements-model.lock")


def test_installed_model_matches_the_official_release():
    meta = installed_meta()

    assert {key: meta[key] for key in ("version", "spacy_git_version", "license", "pipeline")} == {
        key: OFFICIAL[key] for key in ("version", "spacy_git_version", "license", "pipeline")
    }
    assert {key: meta["performance"][key] for key in OFFICIAL["performance"]} == OFFICIAL[
        "performance"
    ]
    assert {key: len(meta["labels"][key]) for key in OFFICIAL["labels"]} == OFFICIAL["labels"]
