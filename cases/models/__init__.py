from cases.models.casework import (
    SUCCESSFUL_OUTCOMES,
    Activity,
    FollowUp,
    Outcome,
    OutcomeCategory,
    SurveyResponse,
    TransitionLog,
)
from cases.models.enquiry import (
    OPEN_STATES,
    Channel,
    CloseReason,
    Enquiry,
    Priority,
    ReferenceCounter,
    State,
    SupportType,
)
from cases.models.inbox import Notification
from cases.models.replies import ReplyTemplate
from cases.models.submissions import SubmissionKey

__all__ = [
    "OPEN_STATES",
    "SUCCESSFUL_OUTCOMES",
    "Activity",
    "Channel",
    "CloseReason",
    "Enquiry",
    "FollowUp",
    "Notification",
    "Outcome",
    "OutcomeCategory",
    "Priority",
    "ReferenceCounter",
    "ReplyTemplate",
    "State",
    "SubmissionKey",
    "SupportType",
    "SurveyResponse",
    "TransitionLog",
]
