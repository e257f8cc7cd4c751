"""Pages name a log entry by its position from 1, with the index from 0 that proofs and tiles use."""

from django.template import Context, Template
from django.utils import translation


def _render(index: object) -> str:
    return Template("{% load public_log %}{{ index|log_position }}").render(Context({"index": index}))


def test_the_first_entry_of_the_log_reads_as_entry_one_with_index_zero():
    assert _render(0) == "第 1 条（序号 0）"
    with translation.override("en"):
        assert _render(41) == "entry 42 (index 41)"


def test_a_work_not_in_the_log_shows_a_dash():
    assert _render(None) == "—"
