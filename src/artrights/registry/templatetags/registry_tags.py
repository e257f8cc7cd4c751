"""Template helpers for registry pages."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist

from artrights.registry.models import Work

register = template.Library()


@register.filter
def work_field_label(name: str) -> str:
    """The label of a work's field (e.g. in a correction's list of changes), in the active language."""
    try:
        field = Work._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))
