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

__all__ = [
    "OPEN_STATES",
    "SUCCESSFUL_OUTCOMES",
    "Activity",
    "Channel",
    "CloseReason",
    "Enquiry",
    "FollowUp",
    "Outcome",
    "OutcomeCategory",
    "Priority",
    "ReferenceCounter",
    "State",
    "SupportType",
    "SurveyResponse",
    "TransitionLog",
]
