"""The loaded course: validated, immutable content objects that the rest of the app reads."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    id: str
    text: str
    rrn_area: str | None


@dataclass(frozen=True)
class Reflection:
    """A reflection prompt on a page, with a model answer; trainees may later save their own."""

    id: str  # stable and unique across the course, e.g. "hr-ref-is-it-justified"
    prompt_html: str  # sanitised
    answer_html: str  # sanitised


@dataclass(frozen=True)
class Page:
    id: str  # file name without .md, e.g. "02-absolute-rights"
    title: str
    html: str  # sanitised
    anchors: tuple[str, ...]
    words: int
    plain_text: str = field(repr=False)
    reflections: tuple[Reflection, ...] = ()


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    is_correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    outcome_id: str
    type: str  # single | multiple | true_false
    prompt: str
    options: tuple[Option, ...]
    explanation_html: str  # sanitised
    see_page: str
    see_anchor: str | None
    source: str
    scenario: bool = False  # an application item: the trainee judges a situation
    line: int | None = field(default=None, compare=False)  # in the bank file, so lint errors can name it

    @property
    def correct_option_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.is_correct)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class QuizBank:
    module_id: str
    pass_mark: int
    draw_per_outcome: int
    support_after: int
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Module:
    id: str
    position: int  # 1-based course order, from the folder name
    slug: str  # folder name
    title: str
    summary: str
    minutes: int
    is_required: bool
    is_draft: bool
    intro_html: str
    intro_words: int
    outcomes: tuple[Outcome, ...]
    pages: tuple[Page, ...]
    quiz: QuizBank

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    @property
    def words(self) -> int:
        return self.intro_words + sum(page.words for page in self.pages)


@dataclass(frozen=True)
class Course:
    modules: tuple[Module, ...]  # every module, drafts included, in course order
    version: str  # hash of every content file

    @property
    def published_modules(self) -> tuple[Module, ...]:
        """The modules trainees see, in order."""
        return tuple(m for m in self.modules if not m.is_draft)

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)
