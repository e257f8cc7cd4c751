import datetime as dt

import pytest

from artrights.core.identifiers import (
    IdentifierError,
    compose_uscc,
    parse_resident_id,
    parse_uscc,
    uscc_check_char,
)


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # Huawei's published code
        "91350100M000100Y43",  # the GB 32100 worked example
        "92370102MA3M9AG94X",  # an individual business, check character X
        "91310230MA1K314J7C",
        "91310230MA1K31K57".ljust(17, "0")[:17] + uscc_check_char("91310230MA1K31K57".ljust(17, "0")[:17]),
    ],
)
def test_valid_unified_social_credit_codes_are_accepted(code):
    assert parse_uscc(code).code == code


def test_a_code_whose_weighted_sum_is_a_multiple_of_31_gets_check_character_zero():
    # Σ mod 31 == 0 gives 31 - 0 = 31, which must wrap to '0' (go-gb returns an empty rune here).
    assert uscc_check_char("91440300MA5000005") == "0"
    assert parse_uscc("91440300MA50000050").code == "91440300MA50000050"


def test_a_wrong_check_character_is_named_with_the_expected_one():
    with pytest.raises(IdentifierError) as err:
        parse_uscc("91350100M000100Y4Z")
    assert err.value.code == "uscc_check"
    assert err.value.position == 18
    assert "“3”" in err.value.message_zh and "'Z'" in err.value.message_en


@pytest.mark.parametrize("bad, position", [("9I350100M000100Y43", 2), ("91350100M0001O0Y43", 14)])
def test_letters_the_code_never_uses_are_named_by_position(bad, position):
    with pytest.raises(IdentifierError) as err:
        parse_uscc(bad)
    assert err.value.code == "uscc_character"
    assert err.value.position == position
    assert f"第{position}位" in err.value.message_zh


def test_a_code_of_the_wrong_length_says_how_long_it_was():
    with pytest.raises(IdentifierError) as err:
        parse_uscc("9135010")
    assert "7位" in err.value.message_zh


def test_spaces_and_lowercase_are_normalised():
    assert parse_uscc(" 91350100m000100y43 ").code == "91350100M000100Y43"


def test_the_inner_organisation_code_check_is_reported_but_not_fatal():
    info = parse_uscc("914403001922038216")
    assert info.organisation_check_ok
    assert info.region == "440300"


def test_composed_codes_pass_both_checks():
    code = compose_uscc("9", "1", "440300", "MA5D7K01")
    info = parse_uscc(code)
    assert info.organisation_check_ok


def test_composing_with_a_forbidden_letter_is_refused():
    with pytest.raises(IdentifierError):
        compose_uscc("9", "1", "440300", "DEMO0001")


def test_a_valid_resident_id_number_gives_birth_date_and_sex():
    info = parse_resident_id("11010519491231002X")
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"


def test_a_resident_id_with_a_wrong_check_digit_names_the_expected_digit():
    with pytest.raises(IdentifierError) as err:
        parse_resident_id("110105194912310021")
    assert err.value.position == 18
    assert "应为“X”" in err.value.message_zh


def test_a_resident_id_with_an_impossible_birth_date_is_refused():
    with pytest.raises(IdentifierError) as err:
        parse_resident_id("110105194902301234")
    assert err.value.code == "id_birth_date"


def test_a_resident_id_with_a_letter_in_the_middle_names_the_character():
    with pytest.raises(IdentifierError) as err:
        parse_resident_id("1101051949A231002X")
    assert err.value.position == 11


def test_a_future_birth_date_is_refused():
    with pytest.raises(IdentifierError):
        parse_resident_id("110105" + "20990101" + "0015", today=dt.date(2026, 11, 26))
