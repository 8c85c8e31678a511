from crm.models.casework import (
    SUCCESSFUL_OUTCOMES,
    Activity,
    FollowUp,
    Outcome,
    OutcomeCategory,
    SurveyResponse,
    TransitionLog,
)
from crm.models.catalogue import ConsortiumPartner, Measure, ModelProject, Municipality, PartnerMembership, Topic
from crm.models.enquiry import (
    OPEN_STATES,
    Channel,
    CloseReason,
    Enquiry,
    Priority,
    ReferenceCounter,
    State,
    SupportType,
)
from crm.models.matching import OPEN_INTRODUCTION_STATES, Introduction, Match, ProjectTopicSuccess
from crm.models.stats import EnquiryStats

__all__ = [
    "OPEN_INTRODUCTION_STATES",
    "OPEN_STATES",
    "SUCCESSFUL_OUTCOMES",
    "Activity",
    "Channel",
    "CloseReason",
    "ConsortiumPartner",
    "Enquiry",
    "EnquiryStats",
    "FollowUp",
    "Introduction",
    "Match",
    "Measure",
    "ModelProject",
    "Municipality",
    "Outcome",
    "OutcomeCategory",
    "PartnerMembership",
    "Priority",
    "ProjectTopicSuccess",
    "ReferenceCounter",
    "State",
    "SupportType",
    "SurveyResponse",
    "Topic",
    "TransitionLog",
]
