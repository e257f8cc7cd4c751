import datetime as dt

from artrights.core.workdays import WorkdayCalendar, add_working_days, working_days_between

D = dt.date


def test_the_spring_festival_make_up_saturday_is_a_working_day():
    assert WorkdayCalendar().is_workday(D(2026, 2, 14))
    assert not WorkdayCalendar().is_workday(D(2026, 2, 16))


def test_a_deadline_across_national_day_skips_the_golden_week():
    # 2026: 1–7 October off; Saturday 10 October is a make-up working day.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_fifteen_working_days_from_a_friday():
    assert add_working_days(D(2026, 11, 20), 15) == D(2026, 12, 11)


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 27)) == 4
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 23)) == -4
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


def test_adding_zero_or_negative_days():
    assert add_working_days(D(2026, 11, 26), 0) == D(2026, 11, 26)
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_an_unpublished_year_falls_back_to_weekdays_and_is_marked_provisional():
    cal = WorkdayCalendar()
    assert not cal.is_workday(D(2027, 1, 1))  # New Year's Day is fixed by law
    assert cal.is_workday(D(2027, 1, 4))
    assert cal.is_provisional(D(2026, 12, 20), D(2027, 1, 10))
    assert not cal.is_provisional(D(2026, 11, 1), D(2026, 12, 31))


def test_operator_overrides_win_over_both_the_schedule_and_the_fallback():
    cal = WorkdayCalendar({D(2027, 2, 8): False, D(2026, 11, 28): True})
    assert not cal.is_workday(D(2027, 2, 8))
    assert cal.is_workday(D(2026, 11, 28))
    assert not cal.is_provisional(D(2027, 2, 8), D(2027, 2, 8))


def test_a_count_beyond_ten_years_is_refused_at_once_rather_than_counted():
    import pytest

    from artrights.core.errors import BilingualError
    from artrights.core.workdays import MAX_WORKING_DAYS

    with pytest.raises(BilingualError) as refused:
        add_working_days(D(2026, 11, 26), 1_000_000_000)
    assert str(MAX_WORKING_DAYS) in refused.value.message("zh")
    assert add_working_days(D(2026, 11, 26), MAX_WORKING_DAYS).year == 2036
    with pytest.raises(BilingualError):
        WorkdayCalendar().working_days_between(D(2026, 1, 1), D(9999, 1, 1))
    with pytest.raises(BilingualError):
        add_working_days(D(9999, 12, 30), 5)


def test_the_public_workday_api_refuses_a_huge_count_with_a_clear_error(client, db):
    response = client.get("/api/core/workdays/add", {"start": "2026-11-26", "days": 1_000_000_000})
    assert response.status_code == 422 and "2500" in response.json()["detail"]
