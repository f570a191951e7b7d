"""Slack-facing side of leadcell: the Bolt app, its listeners and rendering."""
