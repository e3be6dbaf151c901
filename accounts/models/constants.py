"""Bounds shared by the account models and their forms."""

from core.validators import YEAR_MAX, YEAR_MIN

__all__ = ["MAX_PLAN_YEARS", "MONEY", "YEAR_MAX", "YEAR_MIN"]

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_PLAN_YEARS = 10
