"""ConvoKit corpora: the on-disk format of Cornell's Conversational Analysis Toolkit.

A corpus is a folder: ``utterances.jsonl`` (one utterance a line: ``id``, ``speaker``,
``conversation_id``, ``reply-to``, ``timestamp``, ``text``, ``meta``), ``speakers.json`` (speaker
id to ``{"meta": …}``, or to the metadata itself in older corpora), ``conversations.json``
(likewise), ``corpus.json`` and ``index.json``. Older corpora have ``utterances.json`` (a list), ``users.json``,
``user`` and ``root`` keys and ``reply_to``; all are read.

Each conversation becomes a thread. Its root utterance (the one whose id is the conversation id,
else the first that replies to nothing) is the post, its text split into paragraphs at blank
lines; every other utterance is a comment, replying to its ``reply-to`` (top level when that is the
root). A comment's author is its speaker's ``meta.name`` when there is one, else the speaker id;
``timestamp`` is epoch seconds (UTC). The post's title is the conversation's ``meta.title`` (or
the root's), else the conversation id. Utterance texts are plain text, rendered and sanitized as
every comment is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from netiquette.model import Comment, Post, Problem, Thread, clean_id, repair_structure
from netiquette.parsers.jsonl import date_value
from netiquette.segments import collapse
from netiquette.sources import remove_controls

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass
class ConvokitResult:
    """The threads of a corpus, and the problems that belong to no thread."""

    threads: list[Thread] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Utterance:
    id: str
    speaker: str
    conversation: str | None
    reply_to: str | None
    timestamp: object
    text: str
    meta: dict
    line: int


def parse_convokit(
    utterances: str,
    speakers: str | None,
    conversations: str | None,
    source: str,
    *,
    listed: bool = False,
) -> ConvokitResult:
    """The threads of a corpus from the text of its files (``speakers`` and ``conversations``
    None when absent). `source` names ``utterances.jsonl``; `listed` says the utterances are one
    JSON list (``utterances.json``) rather than one per line."""
    result = ConvokitResult()
    items = _utterances(utterances, source, listed, result.problems)
    names = _names(_object_file(speakers, "speakers.json", source, result.problems))
    convo_meta = _object_file(conversations, "conversations.json", source, result.problems)
    by_id: dict[str, _Utterance] = {}
    for item in items:
        if item.id in by_id:
            result.problems.append(
                Problem(
                    source, f"utterance {item.id!r} appears twice; the first is kept", item.line
                )
            )
            continue
        by_id[item.id] = item
    groups: dict[str, list[_Utterance]] = {}
    for item in by_id.values():
        groups.setdefault(_conversation_of(item, by_id), []).append(item)
    for convo_id, members in groups.items():
        meta = convo_meta.get(convo_id)
        meta = meta.get("meta", meta) if isinstance(meta, dict) else {}
        meta = meta if isinstance(meta, dict) else {}
        result.threads.append(_thread(convo_id, members, names, meta, source))
    return result


def _utterances(text: str, source: str, listed: bool, problems: list[Problem]) -> list[_Utterance]:
    rows: list[tuple[int, object]] = []
    if listed:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            problems.append(Problem(source, f"not read: invalid JSON ({error})", 1, "error"))
            return []
        if not isinstance(data, list):
            problems.append(Problem(source, "not read: expected a JSON list of utterances", 1))
            return []
        rows = [(1, row) for row in data]
    else:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                rows.append((number, json.loads(line)))
            except (ValueError, RecursionError) as error:
                reason = getattr(error, "msg", None) or type(error).__name__
                problems.append(
                    Problem(source, f"utterance not read: invalid JSON ({reason})", number, "error")
                )
    items = []
    for number, row in rows:
        item = _utterance(row, source, number, problems)
        if item is not None:
            items.append(item)
    return items


def _text(value: object) -> str | None:
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return _SURROGATE.sub("\ufffd", remove_controls(str(value)))


def _utterance(row: object, source: str, line: int, problems: list[Problem]) -> _Utterance | None:
    if not isinstance(row, dict) or _text(row.get("id")) is None:
        problems.append(
            Problem(source, "utterance not read: an object with an 'id' expected", line, "error")
        )
        return None
    reply_to = row.get("reply-to", row.get("reply_to"))
    meta = row.get("meta")
    text = row.get("text")
    if not isinstance(text, str):
        problems.append(
            Problem(source, f"utterance {row['id']!r} has no text; read as empty", line)
        )
    return _Utterance(
        id=_text(row["id"]) or "",
        speaker=_text(row.get("speaker", row.get("user"))) or "",
        conversation=_id_or_none(row.get("conversation_id", row.get("root"))),
        reply_to=_id_or_none(reply_to),
        timestamp=row.get("timestamp"),
        text=_text(text) or "",
        meta=meta if isinstance(meta, dict) else {},
        line=line,
    )


def _id_or_none(value: object) -> str | None:
    return _text(value) or None


def _object_file(
    text: str | None, name: str, source: str, problems: list[Problem]
) -> dict[str, object]:
    if text is None:
        return {}
    where = str(PurePath(source).with_name(name))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        problems.append(Problem(where, f"not read: invalid JSON ({error})", 1))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(where, "not read: expected a JSON object", 1))
        return {}
    return data


def _names(speakers: dict[str, object]) -> dict[str, tuple[str, str | None]]:
    """Each speaker's display name and home page, from ``meta.name`` and ``meta.url``."""
    names = {}
    for speaker, data in speakers.items():
        meta = data.get("meta", data) if isinstance(data, dict) else {}
        meta = meta if isinstance(meta, dict) else {}
        name = collapse(_text(meta.get("name")) or "")
        names[speaker] = (name, _text(meta.get("url")) or None)
    return names


def _conversation_of(item: _Utterance, by_id: dict[str, _Utterance]) -> str:
    """The utterance's conversation id, or its reply chain's root id when it gives none."""
    if item.conversation:
        return item.conversation
    seen = {item.id}
    current = item
    while current.reply_to and current.reply_to in by_id and current.reply_to not in seen:
        current = by_id[current.reply_to]
        if current.conversation:
            return current.conversation
        seen.add(current.id)
    return current.id


def _thread(
    convo_id: str,
    members: list[_Utterance],
    names: dict[str, tuple[str, str | None]],
    meta: dict,
    source: str,
) -> Thread:
    root = next((u for u in members if u.id == convo_id), None)
    if root is None:
        root = next((u for u in members if u.reply_to is None), None)
    problems: list[Problem] = []
    if root is None:
        problems.append(
            Problem(source, f"conversation {convo_id!r} has no root utterance; no post text")
        )
    title = _text(meta.get("title")) or (_text(root.meta.get("title")) if root else None)
    metadata = {"conversation_id": clean_id(convo_id)}
    link = _text(meta.get("url")) or (_text(root.meta.get("url")) if root else None)
    if link:
        metadata["link"] = link
    post = Post(
        title=collapse(title or "") or convo_id,
        author=_author(root, names)[0] if root else None,
        date=date_value(root.timestamp) if root else None,
        paragraphs=[p.strip() for p in _PARAGRAPH_BREAK.split(root.text) if p.strip()]
        if root
        else [],
        source=source,
        metadata=metadata,
        inferred=frozenset() if title else frozenset({"title"}),
    )
    comments = []
    for item in members:
        if item is root:
            continue
        author, url = _author(item, names)
        date = date_value(item.timestamp) if item.timestamp is not None else None
        if date is None and item.timestamp not in (None, ""):
            problems.append(
                Problem(source, f"utterance {item.id!r}: unreadable timestamp ignored", item.line)
            )
        parent = item.reply_to if root is None or item.reply_to != root.id else None
        comments.append(
            Comment(
                id=_local_id(item.id, convo_id),
                author=author or "Anonymous",
                body=item.text,
                parent_id=_local_id(parent, convo_id) if parent else None,
                author_url=_text(item.meta.get("author_url")) or url,
                date=date,
                inferred=frozenset() if author else frozenset({"author"}),
                source=source,
                line=item.line,
            )
        )
    thread = Thread(post, comments, problems=problems)
    repair_structure(thread)
    return thread


def _local_id(utterance_id: str, convo_id: str) -> str:
    """A comment id for an utterance: ids written ``<conversation id>/<id>`` (as export writes
    them) lose the conversation part, which the thread already says."""
    return clean_id(utterance_id.removeprefix(convo_id + "/"))


def _author(item: _Utterance, names: dict[str, tuple[str, str | None]]) -> tuple[str, str | None]:
    name, url = names.get(item.speaker, ("", None))
    return name or collapse(item.speaker), url
