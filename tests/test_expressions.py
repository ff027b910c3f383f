import pytest

from game.runtime.expressions import EvalError, ExpressionError, compile_expression

TYPES = {"spirit": "number", "money": "number", "expelled": "boolean", "name": "string"}


def ev(source: str, **values):
    env = {"spirit": 50, "money": 10, "expelled": False, "name": "kira"} | values
    return compile_expression(source, TYPES, lambda s: s == "purge").evaluate(env, {"purge": 2})


@pytest.mark.parametrize("source, expected", [
    ("spirit >= 40", True),
    ("spirit + money * 2", 70),
    ("(spirit + money) * 2", 120),
    ("not expelled and spirit > 10", True),
    ("expelled or money == 10", True),
    ("-money + 3", -7),
    ("min(spirit, money, 3)", 3),
    ("max(spirit, 99)", 99),
    ("visited('purge') == 2", True),
    ("name == 'kira'", True),
    ("name + \"!\" == 'kira!'", True),
    ("7 / 2", 3.5),
    ("true", True),
])
def test_evaluates(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("source, fragment", [
    ("spirit.__class__", "attribute"),
    ("__import__('os')", "unknown function"),
    ("_hidden > 1", "'_'"),
    ("open('x')", "unknown function"),
    ("spirit[0]", "indexing"),
    ("9 ** 9 ** 9", "powers"),
    ("spririt > 3", "did you mean"),
    ("spirit >", "unexpected"),
    ("spirit + expelled", "expected a number"),
    ("spirit and expelled", "expected a boolean"),
    ("name > 3", "cannot compare"),
    ("visited('nowhere')", "unknown scene"),
    ("1234567890123456", "too long"),
    ("(" * 60 + "1" + ")" * 60, "nested too deeply"),
    ("", "empty"),
    ("'unterminated", "quotes"),
    ("lambda: 1", "unexpected"),
])
def test_rejects_at_compile_time(source, fragment):
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, TYPES, lambda s: s == "purge")
    assert fragment in str(info.value) + info.value.hint


def test_error_offset_points_at_the_problem():
    with pytest.raises(ExpressionError) as info:
        compile_expression("spirit > 3 and bogus", TYPES)
    assert info.value.offset == 15


def test_division_by_zero_is_a_play_time_error():
    with pytest.raises(EvalError):
        ev("money / (spirit - 50)")


def test_huge_numbers_are_stopped():
    with pytest.raises(EvalError):
        ev("money * 999999999999 * 999999999999")


def test_records_names_used():
    expr = compile_expression("spirit > money and visited('purge') > 0", TYPES, lambda s: True)
    assert expr.names == {"spirit", "money"} and expr.scenes == {"purge"}
