"""Imports every tool module so each registers itself; add new tools here."""
