"""Templates loaded once and kept, with constant translations folded into their text.

With one language (USE_I18N off), `{% translate "Next question" %}` renders the same text every
time, yet each render makes a lazy translation, turns it back into a string and checks it for
escaping: it costs about as much as three variables, and the answered card has eleven. The
loader here folds each such constant into the text around it, once, when a template is first
loaded. The sources stay marked for translation, and with USE_I18N on nothing is folded.
"""

from django.conf import settings
from django.template.base import Node, NodeList, TextNode, Variable
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.utils.translation import gettext


class Loader(cached.Loader):
    """Django's cached loader, folding constant translations in each template it loads."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "folded", False) and not settings.USE_I18N:
            fold(template.nodelist)
            template.folded = True
        return template


def fold(nodelist: NodeList) -> None:
    """Replace constant translations with their text, and join neighbouring text, in place.

    In place, because a nodelist may be shared: a partial's is both in its template and in the
    template's table of partials.
    """
    folded: list[Node] = []
    for node in nodelist:
        text = _constant_text(node)
        if text is not None:
            node = _text_node(text, node)
        if isinstance(node, TextNode) and folded and isinstance(folded[-1], TextNode):
            folded[-1] = _text_node(folded[-1].s + node.s, folded[-1])
            continue
        for child in _child_nodelists(node):
            fold(child)
        folded.append(node)
    nodelist[:] = folded


def _constant_text(node: Node) -> str | None:
    """What a translation of a constant renders, when it renders in place and always the same."""
    if not isinstance(node, TranslateNode) or node.asvar or node.message_context:
        return None
    expression = node.filter_expression
    variable = expression.var
    if expression.filters or not isinstance(variable, Variable) or variable.lookups is not None:
        return None
    # As TranslateNode.render does: a template's literal is safe, so it is never escaped, and
    # percent signs are doubled for the translation and restored after it.
    literal = variable.literal
    text = literal if node.noop else gettext(literal.replace("%", "%%"))
    return str(text).replace("%%", "%")


def _text_node(text: str, like: Node) -> TextNode:
    node = TextNode(text)
    node.token, node.origin = like.token, like.origin  # where debugging pages point
    return node


def _child_nodelists(node: Node):
    """The nodelists inside a node, wherever its class keeps them.

    Most tags keep them in attributes named by `child_nodelists`, but {% if %} keeps a list of
    (condition, nodelist) pairs and a `nodelist` property that builds a new list; so every
    attribute is looked at instead.
    """
    for value in vars(node).values():
        if isinstance(value, NodeList):
            yield value
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, NodeList):
                    yield item
                elif isinstance(item, tuple):
                    yield from (part for part in item if isinstance(part, NodeList))
