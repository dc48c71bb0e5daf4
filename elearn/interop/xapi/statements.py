"""xAPI 1.0.3 statements for a trainee's learning, in plain Python: ADL verbs, activity ids under the
site's public address (identifiers, stable across content edits because they use content ids), a score
with scaled/raw/min/max, and the enrolment as the registration."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from ...content import Course, Module

VERSION = "1.0.3"
LANGUAGE = "en-GB"
ADL = "http://adlnet.gov/expapi"
VERBS = {name: f"{ADL}/verbs/{name}" for name in ("experienced", "attempted", "passed", "failed", "completed")}
ACTIVITY_TYPES = {
    "course": f"{ADL}/activities/course",
    "module": f"{ADL}/activities/module",
    "page": "http://activitystrea.ms/schema/1.0/page",
    "quiz": f"{ADL}/activities/assessment",
}


@dataclass(frozen=True)
class Site:
    """What every statement takes from the settings."""

    public_url: str  # activity ids and the actor's homePage start here
    provider_name: str

    def iri(self, *parts: str) -> str:
        return "/".join([self.public_url.rstrip("/"), "xapi", *parts])


@dataclass(frozen=True)
class Learner:
    """Who did it, as the LRS will see them: a pseudonym (account), or an email if the provider chose mbox."""

    pseudonym: str  # random and stable (xapi_actors.name)
    enrolment_id: int
    email: str | None = None  # set only for mbox actors

    def actor(self, site: Site) -> dict:
        if self.email:
            return {"objectType": "Agent", "mbox": f"mailto:{self.email}"}
        return {"objectType": "Agent", "account": {"homePage": site.public_url.rstrip("/"), "name": self.pseudonym}}

    @property
    def registration(self) -> str:
        # One per enrolment, derived from the pseudonym so it cannot be traced to a database id.
        return str(uuid.uuid5(uuid.UUID(self.pseudonym), f"enrolment:{self.enrolment_id}"))


def page_experienced(site: Site, course: Course, learner: Learner, module: Module, page_id: str, at: datetime) -> dict:
    page = module.page(page_id)
    title = page.title if page else page_id
    activity = _activity(site.iri("modules", module.id, "pages", page_id), "page", title)
    return _statement(site, course, learner, "experienced", activity, at, parent=_module(site, module))


def quiz_attempted(site: Site, course: Course, learner: Learner, module: Module, number: int, at: datetime) -> dict:
    return _statement(
        site, course, learner, "attempted", _quiz(site, module), at, parent=_module(site, module), attempt=number
    )


def quiz_graded(
    site: Site,
    course: Course,
    learner: Learner,
    module: Module,
    *,
    number: int,
    correct: int,
    questions: int,
    passed: bool,
    started_at: datetime,
    submitted_at: datetime,
) -> dict:
    """passed or failed, with the score as a fraction (scaled), the count right (raw) and its range."""
    result = {
        "score": {
            "scaled": round(correct / questions, 4) if questions else 0,
            "raw": correct,
            "min": 0,
            "max": questions,
        },
        "success": passed,
        "completion": True,
        "duration": _duration(submitted_at - started_at),
    }
    verb = "passed" if passed else "failed"
    quiz, parent = _quiz(site, module), _module(site, module)
    return _statement(site, course, learner, verb, quiz, submitted_at, parent=parent, result=result, attempt=number)


def course_completed(site: Site, course: Course, learner: Learner, at: datetime) -> dict:
    result = {"completion": True, "success": True}
    return _statement(site, course, learner, "completed", _course(site), at, parent=None, result=result)


def _statement(site, course, learner, verb, activity, at, *, parent, result=None, attempt=None) -> dict:
    extensions = {site.iri("extensions", "content-version"): course.version}
    if attempt is not None:
        extensions[site.iri("extensions", "attempt")] = attempt
    context_activities = {"grouping": [_course(site)]} if parent else {}
    if parent:
        context_activities["parent"] = [parent]
    statement = {
        "id": str(uuid.uuid4()),
        "actor": learner.actor(site),
        "verb": {"id": VERBS[verb], "display": {LANGUAGE: verb}},
        "object": activity,
        "context": {
            "registration": learner.registration,
            "platform": site.provider_name,
            "language": LANGUAGE,
            "extensions": extensions,
            **({"contextActivities": context_activities} if context_activities else {}),
        },
        "timestamp": timestamp(at),
    }
    if result is not None:
        statement["result"] = result
    return statement


def _activity(iri: str, kind: str, name: str) -> dict:
    return {"objectType": "Activity", "id": iri, "definition": {"type": ACTIVITY_TYPES[kind], "name": {LANGUAGE: name}}}


def _course(site: Site) -> dict:
    return _activity(site.iri("course"), "course", f"{site.provider_name} pre-course learning")


def _module(site: Site, module: Module) -> dict:
    return _activity(site.iri("modules", module.id), "module", module.title)


def _quiz(site: Site, module: Module) -> dict:
    return _activity(site.iri("modules", module.id, "quiz"), "quiz", f"Quiz: {module.title}")


def timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _duration(elapsed) -> str:
    """ISO 8601, as xAPI wants it: PT1H2M3.5S (to the hundredth of a second)."""
    centis = max(0, round(elapsed.total_seconds() * 100))
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    seconds = f"{rest // 100}" + (f".{rest % 100:02d}".rstrip("0") if rest % 100 else "")
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{seconds}S"
