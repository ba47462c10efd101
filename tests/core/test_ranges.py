"""The one table of allowed ranges: what each range accepts, refuses, and how it says so."""

from __future__ import annotations

import math

import pytest

from restorer.core import ranges
from restorer.core.errors import RestorerError, SettingError
from restorer.core.ranges import NumberRange, check_split, name_part_problem, split_problem

QUALITY = NumberRange(1, 100, integer=True)
GAMMA = NumberRange(0, 10, low_open=True)


@pytest.mark.parametrize("value, expected", [(1, 1), (100, 100), ("42", 42), (" 7 ", 7), (5.0, 5), ("1e2", 100)])
def test_whole_numbers_in_range_are_accepted(value, expected):
    result = QUALITY.check("quality", value)
    assert result == expected and isinstance(result, int)


@pytest.mark.parametrize("value", [0, 101, -5, 2.5, "2.5", "nan", "inf", "-inf", "", "abc", None, True, 1e308])
def test_anything_else_is_refused_naming_the_setting_and_range(value):
    with pytest.raises(SettingError) as err:
        QUALITY.check("quality", value)
    message = str(err.value)
    assert message.startswith("quality must be a whole number from 1 to 100, not ")
    assert "\n" not in message
    assert isinstance(err.value, ValueError) and isinstance(err.value, RestorerError)


@pytest.mark.parametrize("value, ok", [(0, False), (1e-9, True), (10, True), (10.0001, False), (math.nan, False)])
def test_an_open_low_end_excludes_the_bound_itself(value, ok):
    assert (GAMMA.problem(value) is None) == ok


def test_descriptions():
    assert QUALITY.describe() == "a whole number from 1 to 100"
    assert GAMMA.describe() == "above 0, up to 10"
    assert NumberRange(0).describe() == "at least 0"
    assert NumberRange(0, low_open=True).describe() == "above 0"
    assert NumberRange().describe() == "any finite number"
    assert ranges.RENDER_SIZE.describe() == "a whole number from 32 to 4,096 px"
    assert ranges.LEARNING_RATE.describe() == "from 1e-06 to 1"


def test_every_range_in_the_table_is_sane():
    table = {name: value for name, value in vars(ranges).items() if isinstance(value, NumberRange)}
    assert len(table) >= 25
    for name, allowed in table.items():
        assert math.isfinite(allowed.low) and math.isfinite(allowed.high), name  # nan/1e308 never pass
        assert allowed.low < allowed.high, name


@pytest.mark.parametrize("fractions, problem", [
    ((0.64, 0.16, 0.20), None),
    (("0.8", "0.2", "0"), None),
    ((2,), "needs 3 fractions"),
    ((0.5, 0.5), "needs 3 fractions"),
    ((0.5, 0.5, 0.5), "add up to 1, not 1.5"),
    ((0, 0.5, 0.5), "training fraction above 0"),
    ((1.2, -0.1, -0.1), "fractions must be from 0 to 1"),
    ((0.5, "nan", 0.5), "fractions must be from 0 to 1"),
])
def test_split_fractions(fractions, problem):
    reason = split_problem(fractions)
    if problem is None:
        assert reason is None and check_split(fractions) == tuple(float(f) for f in fractions)
    else:
        assert problem in reason
        with pytest.raises(SettingError, match="^split "):
            check_split(fractions)


@pytest.mark.parametrize("suffix, ok", [("_colorized", True), ("", True), (" (colour)", True), ("/../x", False),
                                        ("a\\b", False), ("x\0", False)])
def test_output_suffixes_never_lead_into_another_folder(suffix, ok):
    assert (name_part_problem(suffix) is None) == ok
