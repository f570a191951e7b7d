"""Wordings of the costs problems."""
