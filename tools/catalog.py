"""Imports every tool module so each registers itself; add new tools here."""

from . import ab_test, cohort, funnel, rfm
from .attribution import tool as attribution

__all__ = ["ab_test", "attribution", "cohort", "funnel", "rfm"]
