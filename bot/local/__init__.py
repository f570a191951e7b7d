"""Local tools that stand in for Slack: the fake Slack, the text shell and its rendering."""
