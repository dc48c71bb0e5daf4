"""Markdown to sanitised HTML, with anchors on headings so quiz results can link to a section."""

import html
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "br",
    "hr",
}
_ALLOWED_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "a": {"href"}, "th": {"scope"}}
_TAG = re.compile(r"<[^>]+>")


def slugify(text: str) -> str:
    """Heading text -> anchor: lower case, runs of other characters become one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Rendered:
    html: str
    anchors: tuple[str, ...]
    headings: tuple[tuple[int, str], ...]  # (level, text), to check for misuse of level 1
    plain_text: str


def _parser() -> MarkdownIt:
    # html=False: raw HTML in a content file is shown as text, never run; nh3 then sanitises.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


_md = _parser()


def render(text: str) -> Rendered:
    tokens = _md.parse(text)
    anchors: list[str] = []
    headings: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            title = tokens[index + 1].content
            headings.append((int(token.tag[1]), title))
            anchor = _unique(slugify(title), anchors)
            anchors.append(anchor)
            token.attrSet("id", anchor)
        elif token.type == "th_open":
            token.attrSet("scope", "col")
    raw_html = _md.renderer.render(tokens, _md.options, {})
    clean = sanitise(raw_html)
    return Rendered(clean, tuple(anchors), tuple(headings), to_plain_text(clean))


def render_inline(text: str) -> str:
    return sanitise(_md.renderInline(text))


def sanitise(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def to_plain_text(clean_html: str) -> str:
    text = _TAG.sub(" ", clean_html)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _unique(anchor: str, taken: list[str]) -> str:
    candidate, n = anchor or "section", 1
    while candidate in taken:
        n += 1
        candidate = f"{anchor}-{n}"
    return candidate
