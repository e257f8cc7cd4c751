"""Writes for "double random" supervision: directories, plans, commitments, draws, recusals and results.

Every function checks access first and writes the audit log and the public log in one transaction, so a refused
draw (the pool changed after the commitment, a reveal that does not match) changes nothing. The draw itself is
``proofs/draw.py``: the same code ``artrights verify DRAW.json`` runs offline.
"""

from ._common import RESULT_WORKING_DAYS, refused
from .directories import add_inspector, classify, declare_conflict, inspectors_of, pool_of, sync_targets, update_target
from .draws import checkpoint_after, commit, current_draw, execute, recuse
from .plans import create_plan, default_ratios, draw_plan, parse_ratio_lines
from .results import enter_result, review_result

__all__ = [
    "RESULT_WORKING_DAYS",
    "add_inspector",
    "checkpoint_after",
    "classify",
    "commit",
    "create_plan",
    "current_draw",
    "declare_conflict",
    "default_ratios",
    "draw_plan",
    "enter_result",
    "execute",
    "inspectors_of",
    "parse_ratio_lines",
    "pool_of",
    "recuse",
    "refused",
    "review_result",
    "sync_targets",
    "update_target",
]
