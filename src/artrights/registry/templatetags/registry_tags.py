"""Template helpers for registry pages."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist

from artrights.registry.models import Software, Work

register = template.Library()


@register.filter
def work_field_label(name: str) -> str:
    """The label of a work's field, or of its software particulars (e.g. in a correction's list of changes), in
    the active language."""
    for model in (Work, Software):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return str(getattr(field, "verbose_name", name))
    return name
