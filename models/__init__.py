"""Data layer of leadcell: tables, engine and sessions, and the domain operations.

Every SQL statement and every transaction lives in this package; nothing here
imports Slack.
"""
