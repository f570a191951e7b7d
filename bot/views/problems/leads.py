"""Wordings of the leads problems."""
