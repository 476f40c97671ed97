"""Pages of a long list of students: the page asked for, and the links to the others."""

from django.http import HttpRequest
from django.utils.http import urlencode

from config.ids import number_parse


def page_number(request: HttpRequest) -> int:
    """The ?page= asked for, as a number; anything that is not one asks for the first page.

    The selectors turn a number out of range into the nearest page.
    """
    return number_parse(request.GET.get("page", ""), minimum=1) or 1


def page_links(page, params: dict) -> dict:
    """Links to the pages around `page`, each a query string that keeps `params` (the sort)."""

    def query(number: int) -> str:
        return urlencode({**params, "page": number})

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page": page,
        "previous": query(page.previous_page_number()) if page.has_previous() else "",
        "next": query(page.next_page_number()) if page.has_next() else "",
        "pages": [
            {"number": n, "query": query(n), "current": n == page.number}
            if isinstance(n, int)
            else {"number": None}
            for n in numbers
        ],
    }
