"""URLs of ids, worked out once per URL pattern instead of once per link.

reverse() searches the URLconf's possibilities, fills the pattern, quotes it and checks the
result against the pattern's regex: about 10 microseconds a link, and the page that follows an
answer needs two. For a pattern whose arguments are all ids, the URL differs between calls
only in the digits of the ids, so it is reversed once with marker ids and filled in after.
Links are to the project's URLconf (ROOT_URLCONF), under the request's script prefix; a view
whose request sets its own URLconf (request.urlconf) should use reverse().
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse

# Ids that cannot occur by chance in a URL's fixed text.
_MARKS = (918273645501, 918273645502, 918273645503, 918273645504)


def reverse_ids(viewname: str, *ids: int) -> str:
    """reverse(viewname, args=ids), for URL patterns whose arguments are ids (<int:…>)."""
    template = None
    if all(type(i) is int and i >= 0 for i in ids):
        template = _template(viewname, len(ids), get_script_prefix())
    if template is None:
        return reverse(viewname, args=ids)
    return template.format(*ids)


@functools.cache
def _template(viewname: str, arity: int, prefix: str) -> str | None:
    """The URL with a {0}, {1}… for each id, or None if the pattern is not one of plain ids.

    Made while `prefix` is the script prefix, which reverse() puts in front of the path.
    """
    if not 0 < arity <= len(_MARKS):
        return None
    marks = [str(mark) for mark in _MARKS[:arity]]
    try:
        url = reverse(viewname, args=_MARKS[:arity], urlconf=settings.ROOT_URLCONF)
    except NoReverseMatch:  # a pattern whose arguments are not plain ids
        return None
    if "{" in url or "}" in url or any(url.count(mark) != 1 for mark in marks):
        return None
    template = url
    for position, mark in enumerate(marks):
        template = template.replace(mark, f"{{{position}}}")
    # A converter other than <int:…> may write an id differently: check with other ids.
    sample = list(range(7, 7 + arity))
    if template.format(*sample) != reverse(viewname, args=sample, urlconf=settings.ROOT_URLCONF):
        return None
    return template
