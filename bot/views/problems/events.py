"""Wordings of the events problems."""
