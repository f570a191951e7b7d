"""Who the bot is, learnt from Slack's `auth.test` without ever making a request wait for it.

Bolt needs the bot's token and ids for each request; by default it asks
`auth.test` when the App is built and again on the first request, so Slack
being down at start stops the server. Here `auth.test` is asked once at start;
if Slack does not answer, the app serves anyway with the token it was given and
keeps asking in the background (with growing pauses) until Slack answers. Only a
definite refusal of the token (`invalid_auth` and its kin) stops the start.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)

#: auth.test errors that say the token itself is no good: retrying cannot help.
REFUSALS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 60.0
CHECK_TIMEOUT_SECONDS = 5


class TokenRefused(Exception):
    """Slack refused SLACK_BOT_TOKEN for good (e.g. `invalid_auth`); the message says so."""

    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__(
            f"Slack refuses SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token again "
            "from the app's OAuth & Permissions page (reinstall the app if it was revoked)."
        )


@dataclass(frozen=True)
class Identity:
    """The answer of `auth.test`."""

    team_id: str | None
    user_id: str | None
    bot_id: str | None
    enterprise_id: str | None


class BotIdentity:
    """The bot's identity for Bolt's `authorize`, learnt once and kept.

    `state` is "known" once Slack answered, "refused" after a definite refusal,
    and "unknown" before that, with `last_error` saying why.
    """

    def __init__(
        self,
        client: WebClient,
        *,
        token: str,
        on_refused: Callable[[TokenRefused], None] | None = None,
        first_pause: float = FIRST_PAUSE_SECONDS,
        longest_pause: float = LONGEST_PAUSE_SECONDS,
    ) -> None:
        self._client = client
        self._token = token
        self._on_refused = on_refused
        self._first_pause, self._longest_pause = first_pause, longest_pause
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.identity: Identity | None = None
        self.refusal: TokenRefused | None = None
        self.last_error: str | None = None

    @property
    def state(self) -> str:
        if self.refusal is not None:
            return "refused"
        return "known" if self.identity is not None else "unknown"

    def check_once(self) -> str:
        """Ask `auth.test` once; return the new state. Never raises for Slack's answers."""
        try:
            response = self._client.auth_test(token=self._token)
        except SlackApiError as exc:
            status, error = exc.response.status_code, exc.response.get("error")
            if status != 200 or not isinstance(error, str):  # a 5xx page, a 429…
                error = f"HTTP {status}"
            if error in REFUSALS:
                with self._lock:
                    self.refusal = TokenRefused(error)
                return self.state
            self.last_error = error
            return self.state
        except (SlackClientError, OSError, ValueError) as exc:
            # Connection refused or dropped, timeouts, a non-JSON answer (e.g. a 5xx page).
            self.last_error = _describe(exc)
            return self.state
        with self._lock:
            self.identity = Identity(
                team_id=response.get("team_id"),
                user_id=response.get("user_id"),
                bot_id=response.get("bot_id"),
                enterprise_id=response.get("enterprise_id"),
            )
            self.last_error = None
        return self.state

    def learn(self) -> BotIdentity:
        """Ask once now; raise TokenRefused on a refusal; otherwise keep asking in the background.

        Returns self, so `BotIdentity(...).learn()` reads as one step.
        """
        state = self.check_once()
        if state == "refused":
            assert self.refusal is not None
            raise self.refusal
        if state == "unknown":
            log.warning(
                "Slack did not answer auth.test (%s): serving without the bot's ids, "
                "asking again in the background",
                self.last_error,
            )
            self.start()
        return self

    def start(self) -> None:
        """Keep asking `auth.test` in a daemon thread until Slack answers or refuses."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._keep_asking, name="slack-auth-test", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _keep_asking(self) -> None:
        pause = self._first_pause
        while not self._stop.wait(pause):
            state = self.check_once()
            if state == "known":
                log.info("Slack answered auth.test: the bot's ids are known")
                return
            if state == "refused":
                assert self.refusal is not None
                log.error("%s", self.refusal)
                if self._on_refused is not None:
                    self._on_refused(self.refusal)
                return
            pause = min(pause * 2, self._longest_pause)

    def authorize(self, enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        """Bolt's `authorize`: the bot token, with the bot's ids when Slack told them.

        Never calls Slack: before `auth.test` answered, the ids come from the request.
        """
        known = self.identity
        return AuthorizeResult(
            enterprise_id=(known.enterprise_id if known else None) or enterprise_id,
            team_id=(known.team_id if known else None) or team_id,
            bot_token=self._token,
            bot_id=known.bot_id if known else None,
            bot_user_id=known.user_id if known else None,
        )

    def bolt_authorize(self) -> Authorize:
        """This identity as Bolt's `authorize`."""
        return _IdentityAuthorize(self)

    def health(self) -> dict[str, Any]:
        """What `/healthz` says about Slack."""
        if self.refusal is not None:
            return {"slack": "token refused", "slack_error": self.refusal.error}
        if self.identity is None:
            return {"slack": "not reached yet, retrying", "slack_error": self.last_error}
        return {"slack": "ok"}


class _IdentityAuthorize(Authorize):
    def __init__(self, identity: BotIdentity) -> None:
        self.identity = identity

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult:
        return self.identity.authorize(enterprise_id, team_id)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
