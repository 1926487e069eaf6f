"""Template filters for Viewflow's task pages of our flows (templates in workflows/templates/workflows/viewflow/)."""

from django import template

from workflows.nodes import failure_of

register = template.Library()


@register.filter
def failure(task) -> str:
    """The readable error of a task in error (class and message, no traceback, no server path), or ""."""
    return failure_of(task)
