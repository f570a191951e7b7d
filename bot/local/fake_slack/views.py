"""views.open / views.update / views.publish with Slack's view checks."""

from __future__ import annotations

import copy
from typing import Any

from bot.local.fake_slack.errors import SlackError, invalid_arguments
from bot.local.fake_slack.limits import check_view, check_view_blocks
from bot.local.fake_slack.params import str_param
from bot.local.fake_slack.state import APP_ID, BOT_ID, TEAM_ID, State

Args = dict[str, Any]
Result = dict[str, Any]


def _checked_view(args: Args) -> dict[str, Any]:
    """The ``view`` argument once it passed the view and block checks."""
    view = args.get("view")
    if not isinstance(view, dict):
        raise invalid_arguments("view must be a JSON object [json-pointer:/view]")
    errors = check_view(view)
    if errors:
        raise SlackError("invalid_arguments", errors)
    errors = check_view_blocks(view)
    if errors:
        raise SlackError("invalid_blocks", errors)
    return copy.deepcopy(view)


def _by_external_id(state: State, external_id: str) -> dict[str, Any] | None:
    """The stored view with this external_id, if any."""
    if not external_id:
        return None
    return next((v for v in state.views.values() if v.get("external_id") == external_id), None)


def _check_hash(args: Args, stored: dict[str, Any] | None) -> None:
    """Refuse an update whose ``hash`` is not the stored view's current hash."""
    expected = str_param(args, "hash")
    if expected and stored is not None and expected != stored["hash"]:
        raise SlackError("hash_conflict")


def _store(state: State, view: dict[str, Any], previous: dict[str, Any] | None = None) -> Result:
    """Store ``view`` (replacing ``previous`` when given) and return Slack's view object."""
    view_id = previous["id"] if previous else state.next_id("V")
    if previous and not view.get("external_id"):
        view = {**view, "external_id": previous["external_id"]}
    other = _by_external_id(state, str(view.get("external_id") or ""))
    if other is not None and other["id"] != view_id:
        raise SlackError("duplicate_external_id")
    stored: dict[str, Any] = {
        "team_id": TEAM_ID,
        "type": view.get("type"),
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": None,
        "app_id": APP_ID,
        "bot_id": BOT_ID,
        "app_installed_team_id": TEAM_ID,
        **view,
        "id": view_id,
        "hash": state.next_id("H"),
        "previous_view_id": previous["previous_view_id"] if previous else None,
        "root_view_id": previous["root_view_id"] if previous else view_id,
    }
    state.views[view_id] = stored
    return copy.deepcopy(stored)


def views_open(state: State, args: Args) -> Result:
    """views.open: a trigger_id works once; the next use is ``expired_trigger_id``."""
    trigger_id = str_param(args, "trigger_id")
    if not trigger_id:
        raise invalid_arguments("trigger_id is required [json-pointer:/trigger_id]")
    if trigger_id in state.used_triggers:
        raise SlackError("expired_trigger_id")
    view = _checked_view(args)
    result = {"view": _store(state, view)}
    state.used_triggers.add(trigger_id)
    return result


def views_update(state: State, args: Args) -> Result:
    """views.update: replace a view found by view_id or external_id."""
    view_id = str_param(args, "view_id")
    stored = (
        state.views.get(view_id)
        if view_id
        else _by_external_id(state, str_param(args, "external_id"))
    )
    if stored is None:
        raise SlackError("not_found")
    _check_hash(args, stored)
    return {"view": _store(state, _checked_view(args), previous=stored)}


def views_publish(state: State, args: Args) -> Result:
    """views.publish: set a user's App Home (one view id per user)."""
    user_id = str_param(args, "user_id")
    if not user_id:
        raise invalid_arguments("user_id is required [json-pointer:/user_id]")
    view = _checked_view(args)
    if view.get("type") != "home":
        raise invalid_arguments("views.publish needs a view of type home [json-pointer:/view/type]")
    previous = state.views.get(state.home_views.get(user_id, ""))
    _check_hash(args, previous)
    stored = _store(state, view, previous=previous)
    state.home_views[user_id] = stored["id"]
    return {"view": stored}
