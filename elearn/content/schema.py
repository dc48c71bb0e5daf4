"""The file format of modules and quiz banks, as pydantic models (shape and types only).

Cross-file rules (references, coverage, anchors) live in loader.py, which has all files at hand.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]

RRN_AREAS = (
    "human-rights-law",
    "person-centred",
    "lived-experience",
    "prevention",
    "de-escalation",
    "restrictive-interventions",
    "post-incident",
    "organisational-reduction",
)
QUESTION_TYPES = ("single", "multiple", "true_false")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutcomeFile(_Strict):
    id: Slug
    text: Text
    rrn_area: Literal[RRN_AREAS] | None = None  # type: ignore[valid-type]


class ModuleFile(_Strict):
    id: Slug
    title: Text
    summary: Text
    minutes: int = Field(ge=1, le=600)
    required: bool = True
    draft: bool = False
    outcomes: list[OutcomeFile] = Field(min_length=1)


class PageFile(_Strict):
    title: Text


class OptionFile(_Strict):
    id: Slug
    text: Text
    correct: bool = False
    feedback: Text


class QuestionFile(_Strict):
    id: Slug
    outcome: Slug
    type: Literal[QUESTION_TYPES]  # type: ignore[valid-type]
    prompt: LongText
    options: list[OptionFile] = Field(min_length=2, max_length=6)
    explanation: LongText
    see: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(#[a-z0-9-]+)?$")]
    source: Text
    scenario: bool = False  # true only for application items (a situation to judge), not recall


class BankFile(_Strict):
    module: Slug
    pass_mark: int = Field(default=80, ge=1, le=100)
    draw_per_outcome: int = Field(default=2, ge=1, le=10)
    support_after: int = Field(default=3, ge=1, le=20)
    questions: list[QuestionFile] = Field(min_length=1)
