"""Scraped plain-text threads: a blog post followed by its comments as an indented numbered list.

A file reads top to bottom as optional Pelican-style metadata, a title line, the post (one
paragraph per line), a comment header such as ``4 thoughts on “Title”`` and then the comments,
where each ``N. text`` item is a comment and a deeper-indented item replies to the item above it.
Scraping leaves debris behind (image file names glued to words, "Reply" links, "Comments are
closed.") which is removed here, so downstream code only ever sees what people wrote. Nothing
raises: anything odd becomes a `Problem` on the thread.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from netiquette.model import Comment, Post, Problem, Thread, derived_id, repair_structure

# Whole lines that are page furniture rather than writing (matched against the stripped line).
DEBRIS_LINES: tuple[str, ...] = (
    r"photo credit\s*:.*",
    r"image credit\s*:.*",
    r"want more\? keep reading\.?",
    r"comments are closed\.?",
    r"leave a (?:reply|comment)(?: to .*)?",
    r"cancel reply",
    r"(?:log in to )?reply(?:\s*[↓→])?",
    r"↓\s*reply",
    r"like",
    r"liked by (?:\d+|one) (?:people|person|bloggers?)",
)

# Image file names that scraping glued to the next word ("tumblr_x1_1280Generic" -> "Generic").
_IMAGE_EXTENSION = r"(?i:\.(?:jpe?g|png|gif|webp|heic|bmp|tiff?))"
IMAGE_FILE_TOKENS: tuple[str, ...] = (
    rf"tumblr_\w{{1,80}}?{_IMAGE_EXTENSION}",
    r"tumblr_[A-Za-z0-9]{1,80}_\d{2,4}(?:sq)?",
    r"tumblr_[A-Za-z0-9]{1,80}?(?=[A-Z][a-z]|\b)",
    rf"(?<![A-Za-z0-9])(?:IMG|DSC|DSCN|DSCF|PXL|MVIMG|VID|Screenshot)[_-]?\d[\d_-]{{0,40}}{_IMAGE_EXTENSION}?",
    rf"(?<![\w-])[\w-]{{1,80}}{_IMAGE_EXTENSION}(?=[A-Z])",
)

METADATA_KEYS: frozenset[str] = frozenset({"title", "date", "author", "slug", "tags", "category"})

# Openings of a comment that greet the person they answer ("Hi Davina," / "Thanks Kim.").
SALUTATIONS: tuple[str, ...] = (
    "hi",
    "hey",
    "hello",
    "hiya",
    "howdy",
    "dear",
    "greetings",
    "thanks",
    "thank you",
    "thanks so much",
    "thx",
)
NOT_NAMES: frozenset[str] = frozenset(
    {
        "all",
        "everyone",
        "everybody",
        "there",
        "guys",
        "folks",
        "friends",
        "friend",
        "again",
        "so",
        "for",
        "you",
        "team",
        "ladies",
        "sir",
        "madam",
        "mate",
        "man",
        "i",
    }
)

NUMBER_WORDS: dict[str, int] = {
    "no": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

ANONYMOUS = "Anonymous"
UNTITLED = "Untitled"
MAX_NAME_WORDS = 4

_DEBRIS = re.compile("|".join(f"(?:{pattern})" for pattern in DEBRIS_LINES), re.IGNORECASE)
_IMAGE_TOKEN = re.compile("|".join(f"(?:{pattern})" for pattern in IMAGE_FILE_TOKENS))
_SPACE_RUN = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_METADATA_LINE = re.compile(r"^(?P<key>[A-Za-z]+)[ \t]*:[ \t]*(?P<value>.*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_COUNT = r"(?P<count>\d{1,6}|" + "|".join(NUMBER_WORDS) + r")"
_HEADER = re.compile(
    rf"^{_COUNT}\s+(?:thoughts?|comments?|responses?|replies|reply)"
    r"(?:\s+(?:on|to)\s+(?P<title>.+?))?(?:\s+yet)?\s*[:.]?$",
    re.IGNORECASE,
)
_BARE_HEADER = re.compile(r"^(?:comments|responses)(?:\s*\((?P<count>\d{1,6})\))?\s*:?$", re.I)
_OPENING_QUOTES = "“\"'‘«„"
_CLOSING_QUOTES = "”\"'’»“"
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<number>\d{1,9})[.)](?:[ \t]+(?P<text>.*))?$")
_COMMENTLUV = re.compile(r"recently posted[ \t]*(?:\.{2,}|…)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…)\"”’]+")
_SAYS = re.compile(r"(?P<name>\S.{0,60}?)\s+says\s*:")
_SIGNOFF = re.compile(r"[-–—~]{1,2}[ \t]*(?P<name>[^\W\d_][\w.'’ -]{0,40})")
_NOT_IN_NAME = re.compile(r"[!?…:;,\"“”]|[^\W\d_]{4,}\.")
_SALUTATION = re.compile(
    r"^(?:" + "|".join(sorted(SALUTATIONS, key=len, reverse=True)) + r")\b[,!]?\s+"
    r"(?P<name>[^\W\d_][\w’'-]{0,40})",
    re.IGNORECASE,
)


@dataclass
class _Item:
    """A numbered list item of the comment section, before it becomes a `Comment`."""

    line: int
    indent: int
    number: int
    parent: _Item | None
    texts: list[str] = field(default_factory=list)
    comment: Comment | None = None


def parse_text_thread(text: str, source: str = "") -> Thread:
    """The thread in a scraped text file; problems are collected on the thread, never raised."""
    lines = text.split("\n")
    problems: list[Problem] = []
    post = Post(title=UNTITLED, source=source, inferred=frozenset({"title"}))
    if not text.strip():
        problems.append(Problem(source, "empty file: no post and no comments", None, "error"))
        return Thread(post=post, problems=problems)
    body_start = _read_head(lines, post, problems)
    header = _find_header(lines, body_start, post.title)
    post_end = header[0] if header else len(lines)
    post.paragraphs = _post_paragraphs(lines[body_start:post_end])
    thread = Thread(post=post, declared_count=header[1] if header else None, problems=problems)
    if header is None:
        return thread
    items = _read_items(lines, header[0] + 1, source, problems)
    thread.comments = _build_comments(items, post, source, problems)
    _check_count(thread, header[0] + 1)
    repair_structure(thread)
    _relink_replies(items)
    return thread


def _relink_replies(items: list[_Item]) -> None:
    """Point replies at their own parent again after duplicate ids were renamed.

    `repair_structure` leaves replies on the first comment carrying a duplicated id, but here the
    layout says exactly which comment each reply answers.
    """
    for item in items:
        parent = item.parent.comment if item.parent is not None else None
        if item.comment is not None and parent is not None:
            item.comment.parent_id = parent.id


def clean_line(line: str) -> str:
    """A line without glued image file names and surrounding space; "" if it is page debris."""
    text, removed = _IMAGE_TOKEN.subn("", line)
    if removed:
        text = _SPACE_RUN.sub(" ", text)
    text = text.strip()
    if _DEBRIS.fullmatch(text):
        return ""
    return text


def _read_head(lines: list[str], post: Post, problems: list[Problem]) -> int:
    """Apply the metadata block and title line to `post`; return the index where the body starts."""
    index = _first_non_blank(lines, 0)
    while index < len(lines):
        match = _METADATA_LINE.match(lines[index])
        if not match or match["key"].lower() not in METADATA_KEYS:
            break
        _apply_metadata(post, match["key"].lower(), match["value"].strip(), index + 1, problems)
        index += 1
    if post.metadata.get("title"):
        return index
    while index < len(lines):
        title = clean_line(lines[index])
        index += 1
        if title:
            post.title = title
            post.inferred = post.inferred - {"title"}
            return index
    problems.append(Problem(post.source, "no title line found", None))
    return index


def _apply_metadata(post: Post, key: str, value: str, line: int, problems: list[Problem]) -> None:
    """Metadata written in the file wins over anything inferred from the text."""
    if key == "date":
        date = _parse_iso_date(value)
        if date is None:
            problems.append(Problem(post.source, f"unreadable date {value!r} ignored", line))
            return
        post.date = date
    post.metadata[key] = value
    if key == "title" and value:
        post.title = value
        post.inferred = post.inferred - {"title"}
    elif key == "author" and value:
        post.author = value


def _parse_iso_date(value: str) -> datetime | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _first_non_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _find_header(lines: list[str], start: int, title: str) -> tuple[int, int | None] | None:
    """The last unindented comment-header line after `start`, with the count it declares.

    The last one wins because a post may mention "3 comments" in passing, but the real header is
    what the comments follow.
    """
    for index in range(len(lines) - 1, start - 1, -1):
        line = lines[index]
        if not line or line[0].isspace() or len(line) > 500:
            continue
        found, count = _header_count(line.strip(), title)
        if found:
            return index, count
    return None


def _header_count(line: str, title: str) -> tuple[bool, int | None]:
    """Whether `line` is a comment header, and the number of comments it declares."""
    bare = _BARE_HEADER.match(line)
    if bare:
        return True, int(bare["count"]) if bare["count"] else None
    match = _HEADER.match(line)
    if not match:
        return False, None
    if match["title"] and not _names_post(match["title"], title):
        return False, None
    word = match["count"].lower()
    return True, NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def _names_post(quoted: str, title: str) -> bool:
    """A header's "on ..." part is quoted, or (quotes lost in scraping) is the post's title."""
    if quoted[0] in _OPENING_QUOTES:
        return True
    said = quoted.strip(_CLOSING_QUOTES).casefold()
    own = title.casefold()
    return bool(said) and (own.startswith(said) or said.startswith(own))


def _post_paragraphs(lines: list[str]) -> list[str]:
    return [text for text in map(clean_line, lines) if text]


def _read_items(lines: list[str], start: int, source: str, problems: list[Problem]) -> list[_Item]:
    """Numbered items after the header, each with its parent item and its own text lines.

    A deeper-indented item replies to the nearest shallower item above it; an unnumbered line
    continues the deepest open item it is indented under (or, unindented, the latest item).
    """
    items: list[_Item] = []
    open_items: list[_Item] = []
    stray: list[int] = []
    for index in range(start, len(lines)):
        raw = lines[index].expandtabs(4)
        match = _ITEM.match(raw)
        if match:
            indent = len(match["indent"])
            while open_items and open_items[-1].indent >= indent:
                open_items.pop()
            parent = open_items[-1] if open_items else None
            item = _Item(index + 1, indent, int(match["number"]), parent)
            text = clean_line(match["text"] or "")
            if text:
                item.texts.append(text)
            items.append(item)
            open_items.append(item)
            continue
        text = clean_line(raw)
        if not text:
            continue
        if not open_items:
            stray.append(index + 1)
            continue
        indent = len(raw) - len(raw.lstrip())
        if indent:
            while len(open_items) > 1 and open_items[-1].indent >= indent:
                open_items.pop()
        open_items[-1].texts.append(text)
    if stray:
        where = "before the first comment" if items else "but no numbered comments"
        problems.append(
            Problem(
                source, f"{len(stray)} line(s) after the comment header {where} ignored", stray[0]
            )
        )
    _check_numbering(items, source, problems)
    return items


def _check_numbering(items: list[_Item], source: str, problems: list[Problem]) -> None:
    """Report gaps in a list's numbering: they usually mean comments lost in scraping."""
    last: dict[int, int] = {}
    for item in items:
        key = id(item.parent)
        previous = last.get(key)
        if previous is not None and item.number != previous + 1:
            problems.append(
                Problem(source, f"comment numbered {item.number} follows {previous}", item.line)
            )
        last[key] = item.number


@dataclass
class _Signed:
    """What a comment's text says about who wrote it, and the text left once that is removed."""

    paragraphs: list[str]
    author: str | None = None
    signature: str | None = None


def _read_signature(texts: list[str]) -> _Signed:
    """Split author evidence ("Name says:", CommentLuv, "— Name") from a comment's paragraphs."""
    signed = _Signed([])
    luv_author: str | None = None
    for text in texts:
        luv = _split_commentluv(text)
        if luv is not None:
            text, name, signed.signature = luv
            luv_author = name or luv_author
        if text:
            signed.paragraphs.append(text)
    paragraphs = signed.paragraphs
    says = _SAYS.fullmatch(paragraphs[0]) if paragraphs else None
    if says and _looks_like_name(says["name"]):
        signed.author = says["name"].strip()
        del paragraphs[0]
    signed.author = signed.author or luv_author
    signoff = _SIGNOFF.fullmatch(paragraphs[-1]) if len(paragraphs) > 1 else None
    if signoff and _looks_like_name(signoff["name"]):
        signed.author = signed.author or signoff["name"].strip()
        del paragraphs[-1]
    return signed


def _split_commentluv(text: str) -> tuple[str, str | None, str] | None:
    """(text before, commenter name, linked title) of a "NAME recently posted..TITLE" line."""
    match = _COMMENTLUV.search(text)
    if match is None:
        return None
    title = text[match.end() :].strip()
    before, name = _split_trailing_name(text[: match.start()].strip())
    return before, name, title


def _split_trailing_name(prefix: str) -> tuple[str, str | None]:
    """Separate a name glued after the end of the comment's last sentence."""
    if _looks_like_name(prefix):
        return "", prefix
    for end in _SENTENCE_END.finditer(prefix, max(0, len(prefix) - 80)):
        rest = prefix[end.end() :].strip()
        if _looks_like_name(rest):
            return prefix[: end.end()].strip(), rest
    return prefix, None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= MAX_NAME_WORDS and words[0][0].isupper() and not _NOT_IN_NAME.search(text)
    )


def _greeted_name(body: str) -> str | None:
    """The name a comment opens by greeting ("Hi Davina," -> "Davina"), if any."""
    match = _SALUTATION.match(body)
    if match is None:
        return None
    name = match["name"].rstrip("'’-")
    if not name or not name[0].isupper() or name.casefold() in NOT_NAMES:
        return None
    return name


def _first_name(name: str | None) -> str:
    return name.split()[0].casefold() if name and name.split() else ""


def _build_comments(
    items: list[_Item], post: Post, source: str, problems: list[Problem]
) -> list[Comment]:
    """Comments in document order, with authors found in the text or inferred from it."""
    signed = [_read_signature(item.texts) for item in items]
    bodies = ["\n\n".join(evidence.paragraphs) for evidence in signed]
    if post.author is None:
        _infer_post_author(items, signed, bodies, post)
    comments: list[Comment] = []
    for item, evidence, body in zip(items, signed, bodies, strict=True):
        parent = item.parent.comment if item.parent else None
        author = evidence.author
        inferred: frozenset[str] = frozenset()
        if author is None:
            author = _unsigned_author(parent, body, post) or ANONYMOUS
            inferred = frozenset({"author"})
        if not body and evidence.signature is None:
            problems.append(Problem(source, "comment has no text", item.line))
        parent_id = parent.id if parent else None
        item.comment = Comment(
            id=derived_id(parent_id or "", body),
            author=author,
            body=body,
            format="text",
            parent_id=parent_id,
            signature=evidence.signature,
            inferred=inferred,
            source=source,
            line=item.line,
        )
        comments.append(item.comment)
    return comments


def _infer_post_author(
    items: list[_Item], signed: list[_Signed], bodies: list[str], post: Post
) -> None:
    """The post's author is whoever top-level commenters greet most ("Hi Davina,")."""
    greeted: Counter[str] = Counter()
    for item, evidence, body in zip(items, signed, bodies, strict=True):
        name = _greeted_name(body) if item.parent is None else None
        if name and name.casefold() != _first_name(evidence.author):
            greeted[name] += 1
    if greeted:
        post.author = greeted.most_common(1)[0][0]
        post.inferred = post.inferred | {"author"}


def _unsigned_author(parent: Comment | None, body: str, post: Post) -> str | None:
    """An unsigned reply under someone else's comment is, on a blog, the post's author answering.

    Not when the reply greets the post's author, nor when it answers the post's author.
    """
    if parent is None or not post.author:
        return None
    own = _first_name(post.author)
    if _first_name(parent.author) == own or _first_name(_greeted_name(body)) == own:
        return None
    return post.author


def _check_count(thread: Thread, line: int) -> None:
    declared, found = thread.declared_count, len(thread.comments)
    if declared is not None and declared != found:
        thread.problems.append(
            Problem(
                thread.post.source,
                f"header declares {declared} comment(s) but {found} were found",
                line,
            )
        )
