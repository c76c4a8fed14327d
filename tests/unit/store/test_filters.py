import pytest

from store.filters import InvalidFilter, matches_filter


def test_exact_and_nested_fields_must_all_match():
    value = {"kind": "preference", "meta": {"desk": "G10"}, "size": 5}
    assert matches_filter(value, {"kind": "preference", "meta": {"desk": "G10"}})
    assert not matches_filter(value, {"kind": "fact"})
    assert matches_filter(value, None)


def test_comparison_operators_compare_and_never_raise_on_mixed_types():
    value = {"size": 5, "name": "x"}
    assert matches_filter(value, {"size": {"$gte": 5, "$lt": 6}})
    assert not matches_filter(value, {"size": {"$gt": 5}})
    assert matches_filter(value, {"name": {"$ne": "y"}})
    assert not matches_filter(value, {"name": {"$gt": 3}})
    assert not matches_filter(value, {"missing": {"$gt": 3}})


def test_unknown_operator_is_a_typed_error():
    with pytest.raises(InvalidFilter, match=r"\$regex"):
        matches_filter({"a": 1}, {"a": {"$regex": "x"}})
