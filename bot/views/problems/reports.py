"""Wordings of the reports problems."""
