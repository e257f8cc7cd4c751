"""What the work page's documents section shows (``registry/_documents.html``), read for the signed-in user."""

from __future__ import annotations

from typing import Any

from django import template

from artrights.accounts.access import can
from artrights.registry import selectors
from artrights.registry.models import Work

register = template.Library()


@register.simple_tag(takes_context=True)
def work_documents(context: template.Context, work: Work) -> dict[str, Any]:
    """The documents the user may download, whether they may export the owner's openings, and whether the current
    certificate was issued before proofs stopped carrying the owner's ID number."""
    user = context["request"].user
    certificate = context.get("certificate")
    bundle = getattr(certificate, "bundle", None) or {}
    return {
        "documents": list(selectors.documents_of(work)) if can(user, "download_document", work) else [],
        "openings": work.is_granted and work.log_index is not None and can(user, "download_openings", work),
        "certificate_reveals_id": bool((bundle.get("openings") or {}).get("parties")),
    }
