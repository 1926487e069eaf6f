"""The customer area's pager: the page numbers to show around the current one (Django's elided range)."""

from django import template

register = template.Library()


@register.filter
def elided_pages(page):
    """``{% for number in page|elided_pages %}``: 1 … 4 5 [6] 7 8 … 20 (``page.paginator.ELLIPSIS`` for the gaps)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def error_summary(form) -> list[tuple[str, str]]:
    """The form's errors for the summary above it, one (anchor, text) per error: the whole form's first (no anchor),
    then each field's, pointing at its input (the first option of a group). ``|length`` is the count it announces."""
    items = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        anchor = "" if field.is_hidden else "#" + (field.id_for_label or f"{field.auto_id}_0")
        items += [(anchor, f"{field.label}: {error}") for error in field.errors]
    return items
