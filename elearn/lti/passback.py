"""Grade passback: when a launched learner completes, their platform's line item gets a score of 1 out of 1
("Completed", "FullyGraded"), posted through the job queue so a slow or failing platform is retried by the
worker and never holds up the learner's page. The access token comes from the platform's token URL for a
client_credentials JWT signed with the tool's key (pylti1p3's ServiceConnector)."""

from flask import current_app
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from ..db import db, utcnow
from ..domain.people import lti_scores
from ..jobs import enqueue
from ..models import LtiPlatform
from ..web.unit_of_work import after_commit
from .tool import DatabaseToolConf, PlatformSession


def completion_recorded(enrolment_id: int) -> None:
    """Called by the view that recorded a completion: once it is committed, queue the score if it has a target."""

    def queue() -> None:
        if lti_scores.has_score_target(db.session, enrolment_id):
            enqueue(
                post_completion_score, enrolment_id, description=f"LTI completion score for enrolment {enrolment_id}"
            )

    after_commit(queue)


def post_completion_score(enrolment_id: int) -> None:
    """The job: post the completion to each line item. A platform's refusal raises, so the worker retries."""
    completion, targets = lti_scores.completion_to_report(db.session, enrolment_id)
    if completion is None:
        return
    for target in targets:
        platform = db.session.get(LtiPlatform, target.platform_id)
        registration = DatabaseToolConf.registration_for(platform)
        if registration is None or registration.get_tool_private_key() is None:
            current_app.logger.warning("LTI score for enrolment %s not sent: no tool key configured", enrolment_id)
            return
        grades = AssignmentsGradesService(
            ServiceConnector(registration, PlatformSession()),
            {"scope": [lti_scores.SCORE_SCOPE], "lineitem": target.lineitem_url},
        )
        grade = (
            Grade()
            .set_user_id(target.subject)
            .set_score_given(1)
            .set_score_maximum(1)
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_timestamp(completion.completed_at.isoformat())
        )
        grades.put_grade(grade)
        target.score_posted_at = utcnow()
        db.session.commit()  # each accepted score is kept, so a retry after a later failure does not lose it
