"""A fake Slack Web API server for tests and the local demo shell."""

from bot.local.fake_slack.server import FakeSlack, serve_forever

__all__ = ["FakeSlack", "serve_forever"]
