"""Wordings of the roster problems."""
