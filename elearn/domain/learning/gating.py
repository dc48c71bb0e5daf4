"""Module states and the one rule that moves between them: passing module N unlocks N+1."""

import enum
from dataclasses import dataclass

from ...content import Module
from ..errors import QuizLocked


class ModuleState(enum.StrEnum):
    LOCKED = "locked"
    AVAILABLE = "available"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"

    @property
    def can_read(self) -> bool:
        return self is not ModuleState.LOCKED

    @property
    def can_start_quiz(self) -> bool:
        # Once passed, a module stays passed: there is nothing to retake.
        return self in (ModuleState.AVAILABLE, ModuleState.IN_PROGRESS)


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    state: ModuleState


def module_states(modules: tuple[Module, ...], passed: set[str], started: set[str]) -> list[ModuleStatus]:
    """States for modules in course order, from the ids passed and the ids begun (read or tried)."""
    statuses = []
    previous_passed = True
    for module in modules:
        if module.id in passed:
            state = ModuleState.PASSED
        elif not previous_passed:
            state = ModuleState.LOCKED
        elif module.id in started:
            state = ModuleState.IN_PROGRESS
        else:
            state = ModuleState.AVAILABLE
        statuses.append(ModuleStatus(module, state))
        previous_passed = state is ModuleState.PASSED
    return statuses


def require_quiz_open(status: ModuleStatus) -> None:
    if status.state is ModuleState.LOCKED:
        raise QuizLocked("Pass the previous module's quiz to unlock this one")
    if status.state is ModuleState.PASSED:
        raise QuizLocked("You have already passed this quiz")


def is_course_complete(statuses: list[ModuleStatus]) -> bool:
    required = [s for s in statuses if s.module.is_required]
    return bool(required) and all(s.state is ModuleState.PASSED for s in required)
