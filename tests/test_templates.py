"""The template loader folds constant translations into text without changing any page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Engine
from django.template import engines as template_engines
from django.template.base import TextNode
from django.templatetags.i18n import TranslateNode
from django.test import override_settings

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"

SNIPPETS = {
    "plain": '<p>{% translate "Next question" %}</p>',
    "percent": '{% translate "100% sure, 50%% off" %}',
    "markup and quotes": "<b>{% translate '<i>Tom & \"Jerry\"</i>' %}</b>",
    "attribute": "<nav aria-label=\"{% translate 'Questions' %}\">{{ x }}</nav>",
    "branches": (
        '{% if flag %}{% translate "Yes" %}{% elif x %}{% translate "X" %}'
        '{% else %}{% translate "No" %}{% endif %}'
    ),
    "loop": '{% for i in items %}{% translate "Item" %} {{ i }}{% empty %}{% translate "None" %}'
    "{% endfor %}",
    "with": '{% with y=x %}{% translate "Y is" %} {{ y }}{% endwith %}',
    "partial": '{% partialdef part inline %}{% translate "In part" %}{% endpartialdef %}'
    "{% partial part %}",
    "autoescape off": '{% autoescape off %}{% translate "<b>bold</b>" %}{% endautoescape %}',
    "noop": '{% translate "Kept as is" noop %}',
    "context": '{% translate "May" context "month" %}',
    "as variable": '{% translate "Saved" as saved %}[{{ saved }}]',
    "filter": '{% translate "shout"|upper %}',
    "variable": "{% translate x %}",
    "nested": '{% if flag %}{% for i in items %}{% if i %}{% translate "Deep" %}{% endif %}'
    "{% endfor %}{% endif %}",
}


def engine(source: str, *, folding: bool) -> Engine:
    loader = ("django.template.loaders.locmem.Loader", {"page.html": "{% load i18n %}" + source})
    return Engine(
        loaders=[("config.templates.Loader", [loader])] if folding else [loader],
        builtins=["template_partials.templatetags.partials"],
        libraries={"i18n": "django.templatetags.i18n"},
    )


def nodes(template, node_type):
    return template.nodelist.get_nodes_by_type(node_type)


@pytest.mark.parametrize("name", SNIPPETS)
@pytest.mark.parametrize("flag", [True, False])
def test_folded_template_renders_exactly_as_django_renders_it(name, flag):
    source = SNIPPETS[name]
    context = {"flag": flag, "x": "<x>", "items": [1, 0, 2] if flag else []}

    folded = engine(source, folding=True).get_template("page.html")
    plain = engine(source, folding=False).get_template("page.html")

    assert folded.render(Context(context)) == plain.render(Context(context))


def test_constant_translations_become_one_text_with_their_neighbours():
    template = engine(SNIPPETS["plain"], folding=True).get_template("page.html")

    assert nodes(template, TranslateNode) == []
    texts = [node for node in template.nodelist if isinstance(node, TextNode)]
    assert [node.s for node in texts] == ["<p>Next question</p>"]


def test_translations_that_vary_or_are_kept_aside_are_left_to_django():
    for name in ["context", "as variable", "filter", "variable"]:
        template = engine(SNIPPETS[name], folding=True).get_template("page.html")

        assert len(nodes(template, TranslateNode)) == 1, name


def test_nothing_is_folded_when_translation_is_on():
    with override_settings(USE_I18N=True):
        template = engine(SNIPPETS["plain"], folding=True).get_template("page.html")

    assert len(nodes(template, TranslateNode)) == 1


def test_a_template_is_folded_once_and_kept():
    loader_engine = engine(SNIPPETS["branches"], folding=True)

    assert loader_engine.get_template("page.html") is loader_engine.get_template("page.html")


@pytest.mark.parametrize(
    "name",
    sorted(str(path.relative_to(TEMPLATE_DIR)) for path in TEMPLATE_DIR.rglob("*.html")),
)
def test_every_project_template_loads_with_no_constant_translation_left(name):
    template = template_engines["django"].get_template(name).template

    left = [
        node
        for node in nodes(template, TranslateNode)
        if not (node.asvar or node.message_context or node.filter_expression.filters)
        and node.filter_expression.var.lookups is None
    ]
    assert left == []


def test_the_answered_card_partial_is_folded_too():
    partial = template_engines["django"].get_template("quiz/take.html#answered").template

    assert partial.nodelist.get_nodes_by_type(TranslateNode) == []
