"""Slack's Block Kit, view and message limits as pure checks.

Every check returns a list of error strings (empty when valid). Each error names the
offending field and ends with a ``[json-pointer:...]`` suffix, like Slack's own errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTON_URL_MAX = 3000
ID_MAX = 255
LABEL_MAX = 2000
MARKDOWN_TEXT_MAX = 12_000
VIEW_LABEL_MAX = 24
PRIVATE_METADATA_MAX = 3000
CALLBACK_ID_MAX = 255
VIEW_TYPES = frozenset({"modal", "home"})

Errors = list[str]


def _err(message: str, pointer: str) -> str:
    """Format one error the way Slack does."""
    return f"{message} [json-pointer:{pointer}]"


def check_text(
    obj: object, pointer: str, label: str, max_len: int, *, plain_only: bool = False
) -> Errors:
    """Check a text object ({"type": "plain_text"|"mrkdwn", "text": ...})."""
    if not isinstance(obj, dict):
        return [_err(f"{label} must be a text object", pointer)]
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    errors: Errors = []
    if obj.get("type") not in allowed:
        errors.append(_err(f"{label} type must be one of {', '.join(allowed)}", pointer + "/type"))
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        errors.append(_err(f"{label} must be a non-empty string", pointer + "/text"))
    elif len(text) > max_len:
        errors.append(
            _err(
                f"{label} must be at most {max_len} characters (got {len(text)})", pointer + "/text"
            )
        )
    return errors


def check_id(value: object, pointer: str, label: str) -> Errors:
    """Check an optional action_id / block_id / callback_id (string of at most 255 chars)."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [_err(f"{label} must be a string", pointer)]
    if len(value) > ID_MAX:
        return [_err(f"{label} must be at most {ID_MAX} characters (got {len(value)})", pointer)]
    return []


def check_element(element: object, pointer: str) -> Errors:
    """Check an interactive element (buttons in detail, action_id for every kind)."""
    if not isinstance(element, dict):
        return [_err("element must be an object", pointer)]
    errors = check_id(element.get("action_id"), pointer + "/action_id", "action_id")
    if not isinstance(element.get("type"), str):
        errors.append(_err("element type is required", pointer + "/type"))
    if element.get("type") != "button":
        return errors
    errors += check_text(
        element.get("text"), pointer + "/text", "button text", BUTTON_TEXT_MAX, plain_only=True
    )
    for key, max_len in (("value", BUTTON_VALUE_MAX), ("url", BUTTON_URL_MAX)):
        value = element.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > max_len:
            errors.append(
                _err(
                    f"button {key} must be a string of at most {max_len} characters",
                    f"{pointer}/{key}",
                )
            )
    if element.get("style") not in (None, "primary", "danger"):
        errors.append(_err("button style must be primary or danger", pointer + "/style"))
    return errors


def _list(
    block: dict[str, Any],
    key: str,
    pointer: str,
    label: str,
    max_items: int,
) -> tuple[list[Any], Errors]:
    """Return a block's non-empty list field, or an error when missing/empty/too long."""
    items = block.get(key)
    if not isinstance(items, list) or not items:
        return [], [_err(f"{label} must be a non-empty array", f"{pointer}/{key}")]
    if len(items) > max_items:
        message = f"{label} must have at most {max_items} items (got {len(items)})"
        return items, [_err(message, f"{pointer}/{key}")]
    return items, []


def _section(block: dict[str, Any], pointer: str) -> Errors:
    errors: Errors = []
    text, fields = block.get("text"), block.get("fields")
    if text is None and fields is None:
        errors.append(_err("section must have text or fields", pointer))
    if text is not None:
        errors += check_text(text, pointer + "/text", "section text", SECTION_TEXT_MAX)
    if fields is not None:
        items, errors_ = _list(block, "fields", pointer, "section fields", SECTION_FIELDS_MAX)
        errors += errors_
        for i, field in enumerate(items):
            errors += check_text(
                field, f"{pointer}/fields/{i}", "section field", SECTION_FIELD_TEXT_MAX
            )
    if block.get("accessory") is not None:
        errors += check_element(block["accessory"], pointer + "/accessory")
    return errors


def _header(block: dict[str, Any], pointer: str) -> Errors:
    return check_text(
        block.get("text"), pointer + "/text", "header text", HEADER_TEXT_MAX, plain_only=True
    )


def _context(block: dict[str, Any], pointer: str) -> Errors:
    items, errors = _list(block, "elements", pointer, "context elements", CONTEXT_ELEMENTS_MAX)
    for i, element in enumerate(items):
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            errors.append(
                _err("context element must be an object with a type", f"{pointer}/elements/{i}")
            )
    return errors


def _actions(block: dict[str, Any], pointer: str) -> Errors:
    items, errors = _list(block, "elements", pointer, "actions elements", ACTIONS_ELEMENTS_MAX)
    for i, element in enumerate(items):
        errors += check_element(element, f"{pointer}/elements/{i}")
    return errors


def _input(block: dict[str, Any], pointer: str) -> Errors:
    errors = check_text(
        block.get("label"), pointer + "/label", "input label", LABEL_MAX, plain_only=True
    )
    if block.get("element") is None:
        errors.append(_err("input element is required", pointer + "/element"))
    else:
        errors += check_element(block["element"], pointer + "/element")
    return errors


def _image(block: dict[str, Any], pointer: str) -> Errors:
    errors: Errors = []
    if not block.get("image_url") and not block.get("slack_file"):
        errors.append(_err("image needs image_url or slack_file", pointer + "/image_url"))
    alt = block.get("alt_text")
    if not isinstance(alt, str) or not alt or len(alt) > LABEL_MAX:
        errors.append(
            _err(f"image alt_text must be 1 to {LABEL_MAX} characters", pointer + "/alt_text")
        )
    return errors


def _rich_text(block: dict[str, Any], pointer: str) -> Errors:
    if not isinstance(block.get("elements"), list):
        return [_err("rich_text elements must be an array", pointer + "/elements")]
    return []


def _markdown(block: dict[str, Any], pointer: str) -> Errors:
    text = block.get("text")
    if not isinstance(text, str) or not text or len(text) > MARKDOWN_TEXT_MAX:
        return [
            _err(f"markdown text must be 1 to {MARKDOWN_TEXT_MAX} characters", pointer + "/text")
        ]
    return []


def _divider(block: dict[str, Any], pointer: str) -> Errors:
    return []


_BLOCK_CHECKS: dict[str, Callable[[dict[str, Any], str], Errors]] = {
    "section": _section,
    "header": _header,
    "divider": _divider,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "image": _image,
    "rich_text": _rich_text,
    "markdown": _markdown,
}
BLOCK_TYPES = frozenset(_BLOCK_CHECKS)


def check_blocks(
    blocks: object, max_blocks: int = MAX_MESSAGE_BLOCKS, pointer: str = "/blocks"
) -> Errors:
    """Check a blocks array: count, known types, per-type limits and unique block_ids."""
    if not isinstance(blocks, list):
        return [_err("blocks must be an array", pointer)]
    errors: Errors = []
    if len(blocks) > max_blocks:
        errors.append(
            _err(f"no more than {max_blocks} blocks allowed (got {len(blocks)})", pointer)
        )
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"{pointer}/{i}"
        if not isinstance(block, dict):
            errors.append(_err("block must be an object", where))
            continue
        kind = block.get("type")
        check = _BLOCK_CHECKS.get(kind) if isinstance(kind, str) else None
        if check is None:
            errors.append(_err(f"unknown block type {kind!r}", where + "/type"))
            continue
        block_id = block.get("block_id")
        errors += check_id(block_id, where + "/block_id", "block_id")
        if isinstance(block_id, str):
            if block_id in seen:
                errors.append(_err(f"block_id {block_id!r} is not unique", where + "/block_id"))
            seen.add(block_id)
        errors += check(block, where)
    return errors


def check_message_blocks(blocks: object) -> Errors:
    """Check the blocks of a message (at most 50)."""
    return check_blocks(blocks, MAX_MESSAGE_BLOCKS, "/blocks")


def check_view(view: object) -> Errors:
    """Check a view's own fields (type, labels, metadata, ids); blocks are checked apart.

    Errors here map to Slack's ``invalid_arguments``.
    """
    if not isinstance(view, dict):
        return [_err("view must be an object", "/view")]
    errors: Errors = []
    kind = view.get("type")
    if kind not in VIEW_TYPES:
        errors.append(_err("view type must be modal or home", "/view/type"))
    if kind == "modal":
        errors += check_text(
            view.get("title"), "/view/title", "view title", VIEW_LABEL_MAX, plain_only=True
        )
        for key in ("submit", "close"):
            if view.get(key) is not None:
                errors += check_text(
                    view[key], f"/view/{key}", f"view {key}", VIEW_LABEL_MAX, plain_only=True
                )
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            errors.append(
                _err("view submit is required when blocks contain an input", "/view/submit")
            )
    metadata = view.get("private_metadata")
    if metadata is not None and (
        not isinstance(metadata, str) or len(metadata) > PRIVATE_METADATA_MAX
    ):
        errors.append(
            _err(
                f"private_metadata must be at most {PRIVATE_METADATA_MAX} characters",
                "/view/private_metadata",
            )
        )
    for key in ("callback_id", "external_id"):
        errors += check_id(view.get(key), f"/view/{key}", key)
    return errors


def check_view_blocks(view: dict[str, Any]) -> Errors:
    """Check the blocks of a view (at most 100); a view must have a blocks array."""
    return check_blocks(view.get("blocks"), MAX_VIEW_BLOCKS, "/view/blocks")


def truncate_text(text: str) -> tuple[str, bool]:
    """Cut message text to Slack's 40 000 characters; say whether it was cut."""
    if len(text) <= MAX_MESSAGE_TEXT:
        return text, False
    return text[:MAX_MESSAGE_TEXT], True
