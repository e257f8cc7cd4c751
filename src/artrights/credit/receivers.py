"""How credit answers the lower apps: the lists a party is on, asked through ``core.signals.party_standing``
(registration review flags a listed party; an agency on a list may not file for clients); and how it refills an
emptied catalogue after ``migrate`` or ``flush``."""

from __future__ import annotations

from typing import Any

from django.apps import apps as django_apps
from django.db.models import Q
from django.urls import reverse

from artrights.core.signals import Standing

from .models import EntryStatus, ListEntry, ListType, Measure


def _barring_lists() -> set[str]:
    """The lists whose platform measure bars an agency from filing for clients (the measures catalogue)."""
    found: set[str] = set()
    for list_types in Measure.objects.filter(active=True, bars_agency_filing=True).values_list("list_types", flat=True):
        found.update(list_types)
    return found


def answer_standing(sender: Any, identifiers: list[str], **kwargs: Any) -> list[Standing]:
    """Every current listing of a subject with one of ``identifiers``, or of an organisation one of them is a
    principal of (the memorandum extends measures to legal representatives and principals)."""
    entries = (
        ListEntry.objects.filter(status=EntryStatus.LISTED)
        .filter(Q(subject__code__in=identifiers) | Q(subject__principals__id_number__in=identifiers))
        .select_related("subject")
        .prefetch_related("subject__principals")
        .distinct()
    )
    barring = _barring_lists()
    found = []
    for entry in entries:
        subject = entry.subject
        asked = [subject.code] if subject.code in identifiers else []
        asked += [
            p.id_number for p in subject.principals.all() if p.id_number in identifiers and p.id_number not in asked
        ]
        for identifier in asked:
            found.append(
                Standing(
                    identifier=identifier,
                    list_type=entry.list_type,
                    list_label=str(ListType(entry.list_type).label),
                    number=entry.number,
                    since=entry.listed_on or entry.proposed_on,
                    until=entry.planned_exit_on,
                    bars_agency_filing=entry.list_type in barring,
                    url=reverse("credit:entry", args=[entry.number]),
                    as_principal_of="" if identifier == subject.code else subject.name,
                )
            )
    return found


def seed_empty_catalogue(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate``: an empty behaviour catalogue (a database emptied with ``flush``) gets the defaults again;
    a catalogue with rows is the administrators' and is left alone."""
    from .catalogue import seed

    registry = apps if apps is not None else django_apps
    if not registry.get_model("credit", "Behaviour").objects.exists():
        seed(registry)
