"""Bounds shared by the account models and their forms."""

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_PLAN_YEARS = 10
# The years a plan, touchpoint or meeting may be in; forms refuse others at the field.
YEAR_MIN = 2000
YEAR_MAX = 2100
