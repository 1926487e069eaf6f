"""The customer area's pager: the page numbers to show around the current one (Django's elided range)."""

from django import template

register = template.Library()


@register.filter
def elided_pages(page):
    """``{% for number in page|elided_pages %}``: 1 … 4 5 [6] 7 8 … 20 (``page.paginator.ELLIPSIS`` for the gaps)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
