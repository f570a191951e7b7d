"""files_upload_v2 support: files.getUploadURLExternal, the upload, files.completeUploadExternal."""

from __future__ import annotations

from typing import Any

from bot.local.fake_slack.errors import SlackError, invalid_arguments
from bot.local.fake_slack.params import int_param, str_param
from bot.local.fake_slack.state import State

Args = dict[str, Any]
Result = dict[str, Any]


def files_get_upload_url(state: State, args: Args) -> Result:
    """files.getUploadURLExternal: reserve a file id and hand out the fake upload URL."""
    filename = str_param(args, "filename")
    length = int_param(args, "length", -1)
    if not filename or length < 0:
        raise invalid_arguments("filename and length (a non-negative integer) are required")
    file_id = state.next_id("F")
    state.files[file_id] = {
        "id": file_id,
        "name": filename,
        "title": filename,
        "length": length,
        "alt_txt": args.get("alt_txt"),
        "content": None,
        "completed": False,
    }
    return {"upload_url": f"{state.base}_fake/upload/{file_id}", "file_id": file_id}


def store_upload(state: State, file_id: str, content: bytes) -> bool:
    """Keep the uploaded bytes of a reserved file; False when the id was never handed out."""
    with state.lock:
        record = state.files.get(file_id)
        if record is None:
            return False
        record["content"] = content
        return True


def files_complete_upload(state: State, args: Args) -> Result:
    """files.completeUploadExternal: title and share uploaded files."""
    items = args.get("files")
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(item, dict) and item.get("id") for item in items)
    ):
        raise invalid_arguments("files must be a JSON array of {id, title} [json-pointer:/files]")
    records: list[dict[str, Any]] = []
    for item in items:
        record = state.files.get(str(item["id"]))
        if record is None or record["content"] is None:
            raise SlackError("file_not_found")
        records.append(record)
    done = []
    for item, record in zip(items, records, strict=True):
        record.update(
            title=item.get("title") or record["name"],
            completed=True,
            channel_id=args.get("channel_id"),
            channels=args.get("channels"),
            initial_comment=args.get("initial_comment"),
            thread_ts=args.get("thread_ts"),
        )
        done.append(
            {
                "id": record["id"],
                "title": record["title"],
                "name": record["name"],
                "size": len(record["content"]),
            }
        )
    return {"files": done}
