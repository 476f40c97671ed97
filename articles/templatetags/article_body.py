"""Tags that draw an article body with its highlights (see articles.rendering)."""

from django import template
from django.utils.safestring import SafeString

from articles import rendering

register = template.Library()


@register.simple_tag
def body_html(paragraphs, id_prefix="") -> SafeString:
    """Render the article body's paragraphs; `id_prefix`, when set, gives each one an id."""
    return rendering.body_html(paragraphs, id_prefix=id_prefix)


@register.simple_tag
def paragraph_html(paragraph, id_prefix="", oob=False) -> SafeString:
    """Render one paragraph; with `oob`, marked for htmx to swap out of band."""
    return rendering.paragraph_html(paragraph, id_prefix=id_prefix, oob=oob)
