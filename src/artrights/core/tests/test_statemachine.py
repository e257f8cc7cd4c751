from types import SimpleNamespace

import pytest

from artrights.core.statemachine import Transition, TransitionNotAllowed, Workflow

FLOW = Workflow(
    [
        Transition.of("submit", "draft", "submitted"),
        Transition.of("accept", "submitted", "accepted"),
        Transition.of("withdraw", ["submitted", "accepted"], "withdrawn"),
    ]
)


def test_an_allowed_action_moves_the_object_and_reports_both_states():
    obj = SimpleNamespace(status="draft")
    assert FLOW.apply(obj, "submit") == ("draft", "submitted")
    assert obj.status == "submitted"


def test_a_forbidden_action_leaves_the_state_alone_and_lists_what_is_allowed():
    obj = SimpleNamespace(status="draft")
    with pytest.raises(TransitionNotAllowed) as err:
        FLOW.apply(obj, "accept")
    assert obj.status == "draft"
    assert err.value.allowed == ["submit"]
    assert "submit" in err.value.message_zh


def test_allowed_actions_and_states_come_from_the_table():
    assert FLOW.allowed("submitted") == ["accept", "withdraw"]
    assert FLOW.states() == {"draft", "submitted", "accepted", "withdrawn"}
    assert FLOW.can(SimpleNamespace(status="accepted"), "withdraw")


def test_a_duplicate_transition_name_is_a_programming_error():
    with pytest.raises(ValueError):
        Workflow([Transition.of("a", "x", "y"), Transition.of("a", "y", "z")])
