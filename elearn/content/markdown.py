"""Markdown to sanitised HTML, with anchors on headings so quiz results can link to a section.

Pages may also hold reflection blocks (a prompt with a model answer), written as
`:::reflection <id>`, the prompt, `:::answer`, the answer, then `:::` on its own line.
"""

import html
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

from .model import Reflection

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
    "div",
    "details",
    "summary",
    "span",  # reflection panels only: Markdown cannot make these
}
_ALLOWED_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "a": {"href"}, "th": {"scope"}}
# Only the exact classes a reflection panel uses survive, so content cannot restyle the page.
_ALLOWED_CLASSES = {
    "div": {"govuk-inset-text", "app-reflection", "govuk-details__text"},
    "details": {"govuk-details"},
    "summary": {"govuk-details__summary"},
    "span": {"govuk-details__summary-text"},
    "h2": {"govuk-heading-s", "app-reflection__heading"},
    "h3": {"govuk-heading-s", "app-reflection__heading"},
    "h4": {"govuk-heading-s", "app-reflection__heading"},
}
_TAG = re.compile(r"<[^>]+>")
REFLECTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ANSWER_SUMMARY = "One way to think about it"


def slugify(text: str) -> str:
    """Heading text -> anchor: lower case, runs of other characters become one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Problem:
    line: int  # 0-based line within the rendered text
    field: str
    message: str


@dataclass(frozen=True)
class Rendered:
    html: str
    anchors: tuple[str, ...]
    headings: tuple[tuple[int, str], ...]  # (level, text), to check for misuse of level 1
    plain_text: str
    reflections: tuple[Reflection, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass
class _Block:
    id: str
    line: int
    prompt: list[str]
    answer: list[str] | None = None

    @property
    def field(self) -> str:
        return f"reflection {self.id}"


_NOT_CLOSED = "not closed: end the block with a ':::' line"
_BAD_ID = "must be lower case letters, digits and single hyphens, e.g. ':::reflection hr-ref-is-it-justified'"
_STRAY = "is not inside a reflection block, or is not ':::reflection <id>', ':::answer' or ':::'"


def _parser() -> MarkdownIt:
    # html=False: raw HTML in a content file is shown as text, never run; nh3 then sanitises.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


_md = _parser()


def render(text: str) -> Rendered:
    """Render a page body: Markdown chunks, with reflection blocks between them."""
    segments, problems = _split_blocks(text)
    anchors: list[str] = []
    headings: list[tuple[int, str]] = []
    parts: list[str] = []
    authored: list[str] = []  # the text without the panel's labels, for word counts and readability
    reflections: list[Reflection] = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(_render_markdown(segment, anchors, headings))
            authored.append(parts[-1])
        else:
            reflection = _reflection(segment)
            reflections.append(reflection)
            level = min((headings[-1][0] if headings else 1) + 1, 4)  # one below the section it sits in
            parts.append(_panel(reflection, level))
            authored += [reflection.prompt_html, reflection.answer_html]
    plain = to_plain_text(sanitise(" ".join(authored)))
    return Rendered(
        sanitise("".join(parts)), tuple(anchors), tuple(headings), plain, tuple(reflections), tuple(problems)
    )


def render_inline(text: str) -> str:
    return sanitise(_md.renderInline(text))


def sanitise(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def to_plain_text(clean_html: str) -> str:
    text = _TAG.sub(" ", clean_html)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _render_markdown(text: str, anchors: list[str], headings: list[tuple[int, str]]) -> str:
    tokens = _md.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            title = tokens[index + 1].content
            headings.append((int(token.tag[1]), title))
            anchor = _unique(slugify(title), anchors)
            anchors.append(anchor)
            token.attrSet("id", anchor)
        elif token.type == "th_open":
            token.attrSet("scope", "col")
    return _md.renderer.render(tokens, _md.options, {})


def _split_blocks(text: str) -> tuple[list, list[Problem]]:
    """Cut the text into Markdown strings and _Blocks; report malformed blocks."""
    segments: list = []
    problems: list[Problem] = []
    plain: list[str] = []
    block: _Block | None = None
    for number, line in enumerate(text.split("\n")):
        marker = line.rstrip()
        if not marker.startswith(":::"):
            (plain if block is None else block.prompt if block.answer is None else block.answer).append(line)
            continue
        word, rest = (marker[3:].split(None, 1) + ["", ""])[:2]
        if word == "reflection":
            if block is not None:
                problems.append(Problem(block.line, block.field, _NOT_CLOSED + " before the next ':::reflection'"))
                segments.append(block)
            segments.append("\n".join(plain))
            plain, block = [], _Block(rest.strip(), number, [])
            if not REFLECTION_ID.match(block.id) or len(block.id) > 80:
                problems.append(Problem(number, "reflection", f"id '{block.id}' {_BAD_ID}"))
        elif word == "answer" and not rest.strip() and block is not None:
            if block.answer is not None:
                problems.append(Problem(number, block.field, "has more than one ':::answer' line"))
            block.answer = []
        elif not word and block is not None:
            segments.append(block)
            block = None
        else:
            problems.append(Problem(number, "reflection", f"'{marker}' {_STRAY}"))
    if block is not None:
        problems.append(Problem(block.line, block.field, _NOT_CLOSED))
        segments.append(block)
    segments.append("\n".join(plain))
    checked = (_check_block(s) for s in segments if isinstance(s, _Block))
    return segments, problems + [p for p in checked if p]


def _check_block(block: _Block) -> Problem | None:
    """The prompt and the answer must both have text."""
    if not "".join(block.prompt).strip():
        return Problem(block.line, block.field, "has no prompt text before ':::answer'")
    if block.answer is None:
        return Problem(block.line, block.field, "needs an ':::answer' line followed by a model answer")
    if not "".join(block.answer).strip():
        return Problem(block.line, block.field, "the ':::answer' part is empty")
    return None


def _reflection(block: _Block) -> Reflection:
    prompt = sanitise(_md.render("\n".join(block.prompt)))
    answer = sanitise(_md.render("\n".join(block.answer or [])))
    return Reflection(block.id, prompt, answer)


def _panel(reflection: Reflection, level: int) -> str:
    return (
        '<div class="govuk-inset-text app-reflection">'
        f'<h{level} class="govuk-heading-s app-reflection__heading">Reflect</h{level}>'
        f"{reflection.prompt_html}"
        '<details class="govuk-details"><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{ANSWER_SUMMARY}</span></summary>'
        f'<div class="govuk-details__text">{reflection.answer_html}</div></details></div>'
    )


def _unique(anchor: str, taken: list[str]) -> str:
    candidate, n = anchor or "section", 1
    while candidate in taken:
        n += 1
        candidate = f"{anchor}-{n}"
    return candidate
