"""A fake Slack for tests and the local demo shell: the Web API, Socket Mode, and faults.

- Web API (`methods`, `views`, `files`): the methods the app calls, with Slack's limits
  (`limits`) and Slack's token and scope checks (`scopes`): bot tokens hold exactly the
  bot scopes of the manifest that `leadcell manifest` prints, and a method without its
  scope answers ``missing_scope``.
- Socket Mode (`socket_mode`): apps.connections.open, WebSocket links, envelopes,
  acknowledgements, redelivery of late events, and ``disconnect``.
- Faults (`FakeSlack.add_fault`): ``ratelimit``, ``server_error``, ``drop`` (nothing
  done, no answer), ``store_then_drop`` (done, no answer) and ``delay`` (done at once,
  answered late).
- Control endpoints under ``/_fake/`` (`handler`) for tests and the shell.
"""

from bot.local.fake_slack.server import FakeSlack, serve_forever

__all__ = ["FakeSlack", "serve_forever"]
