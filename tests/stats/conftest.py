"""A small known history, built through the workflow services with time moved by time_machine.

Seven enquiries in 2026 (times UTC); "now" for the figures is 2026-04-10 12:00.

| # | municipality (size, Land) | topics | channel | path | partner |
| - | --- | --- | --- | --- | --- |
| E1 | Kleinhausen (3,000, BY) | mobilitaet | web | 03-02 09:00 submit, 12:00 triage, 03-03 09:00 assign, 15:00 accept, 03-10 09:00 resolve contact_established | DIFU |
| E2 | Mittelstadt (50,000, NW) | energie | email | 03-02 09:00 submit, 10:00 triage, 11:00 request_info, 03-05 11:00 reply, 12:00 assign, 03-06 09:00 accept, 03-09 09:00 request_info, 03-10 09:00 reply, 03-12 09:00 resolve information_provided | DIFU |
| E3 | Großstadt (200,000, BY) | mobilitaet, energie | web | 03-04 09:00 submit, triage, 10:00 assign, 03-09 09:00 accept, 03-20 09:00 resolve not_pursued | CCC |
| E4 | Kleinhausen | mobilitaet | phone | 01-05 09:00 submit, stays new | |
| E5 | Großstadt | energie | web | 03-16 09:00 submit, triage, 10:00 close out_of_scope | |
| E6 | Mittelstadt | energie | web | 04-01 09:00 submit, triage, 10:00 assign | DIFU |
| E7 | Mittelstadt | mobilitaet | web | 04-09 09:00 submit, stays new | |

Surveys: E1 satisfaction 5 / useful, adoption "planned"; E2 satisfaction 3 / not useful, adoption "no";
E3 satisfaction sent, unanswered. Escalation run on 03-07 12:00 (escalates E3 and E4).
Introductions of the model project: E1 completed, E2 requested, E3 declined.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from cases.deadlines import deadlines_escalate_all
from cases.surveys import survey_answer, survey_send
from matching.models import Introduction
from stats.facts import stats_rows_refresh
from tests import builders as b
from tests import factories as f

UTC = dt.UTC
NOW = dt.datetime(2026, 4, 10, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=UTC)


class Story:
    def __init__(self, users):
        self.users = users

    def submit(self, when, municipality, topics, channel="web", subject="Anfrage"):
        return b.enquiry_submitted(
            municipality=municipality,
            topics=topics,
            contact_email=f"kontakt-{when:%m%d%H}@gemeinde.example",
            subject=f"{subject} {when:%m%d%H}",
            message="Wir möchten von einem Modellprojekt lernen.",
            channel=channel,
            at=when,
        )

    def step(self, when, enquiry, name, by, **payload):
        enquiry.refresh_from_db()
        return b.enquiry_moved(enquiry, name, by=self.users[by], at=when, **payload)


@pytest.fixture
def history(db, coordinator, partner, partner_user, other_partner, other_partner_user):
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    f.TopicFactory(slug="energie", name_de="Energie", name_en="Energy")
    small = f.MunicipalityFactory(ags="09111001", name="Kleinhausen", population=3_000, bundesland="BY")
    middle = f.MunicipalityFactory(
        ags="05111002",
        name="Mittelstadt, Stadt",
        population=50_000,
        bundesland="NW",
        bundesland_name="Nordrhein-Westfalen",
    )
    big = f.MunicipalityFactory(ags="09111003", name="Großstadt, Stadt", population=200_000, bundesland="BY")
    project = f.ModelProjectFactory(name="Modellprojekt Beispielstadt")
    s = Story({"c": coordinator, "difu": partner_user, "ccc": other_partner_user})

    e1 = s.submit(at(3, 2, 9), small, ["mobilitaet"], subject="Radverkehr")
    s.step(at(3, 2, 12), e1, "triage", "c")
    s.step(at(3, 3, 9), e1, "assign", "c", partner=partner.pk)
    s.step(at(3, 3, 15), e1, "accept", "difu")

    e2 = s.submit(at(3, 2, 9), middle, ["energie"], channel="email", subject="Wärmeplanung")
    s.step(at(3, 2, 10), e2, "triage", "c")
    s.step(at(3, 2, 11), e2, "request_info", "c", message="Welche Größe hat Ihr Netz?")
    s.step(at(3, 5, 11), e2, "receive_reply", "c", message="Etwa 40 km.")
    s.step(at(3, 5, 12), e2, "assign", "c", partner=partner.pk)
    s.step(at(3, 6, 9), e2, "accept", "difu")

    e3 = s.submit(at(3, 4, 9), big, ["mobilitaet", "energie"], subject="Mobilitätsstationen")
    s.step(at(3, 4, 9), e3, "triage", "c")
    s.step(at(3, 4, 10), e3, "assign", "c", partner=other_partner.pk)

    e4 = s.submit(at(1, 5, 9), small, ["mobilitaet"], channel="phone", subject="Carsharing")

    with time_machine.travel(at(3, 7, 12), tick=False):
        deadlines_escalate_all()

    s.step(at(3, 9, 9), e2, "request_info", "difu", message="Noch eine Frage.")
    s.step(at(3, 9, 9), e3, "accept", "ccc")
    s.step(at(3, 10, 9), e2, "receive_reply", "c", message="Antwort.")
    s.step(at(3, 10, 9), e1, "resolve", "difu", category="contact_established", notes="Kontakt zu Beispielstadt.")
    s.step(at(3, 12, 9), e2, "resolve", "difu", category="information_provided", notes="Leitfaden geschickt.")
    s.step(at(3, 20, 9), e3, "resolve", "ccc", category="not_pursued", notes="Kein Bedarf mehr.")

    e5 = s.submit(at(3, 16, 9), big, ["energie"], subject="Photovoltaik")
    s.step(at(3, 16, 9), e5, "triage", "c")
    s.step(at(3, 16, 10), e5, "close", "c", reason="out_of_scope")

    e6 = s.submit(at(4, 1, 9), middle, ["energie"], subject="Energiemonitoring")
    s.step(at(4, 1, 9), e6, "triage", "c")
    s.step(at(4, 1, 10), e6, "assign", "c", partner=partner.pk)
    e7 = s.submit(at(4, 9, 9), middle, ["mobilitaet"], subject="Bürgerbus")

    answers = [(e1, 5, True, "planned"), (e2, 3, False, "no"), (e3, None, None, None)]
    for enquiry, score, useful, adopted in answers:
        sent = enquiry.__class__.objects.get(pk=enquiry.pk).resolved_at + dt.timedelta(days=1)
        satisfaction = survey_send(enquiry_id=enquiry.pk, kind="satisfaction", now=sent)
        if score is not None:
            survey_answer(token=satisfaction.token, score=score, useful=useful, now=sent + dt.timedelta(hours=2))
        if adopted is not None:
            adoption = survey_send(enquiry_id=enquiry.pk, kind="adoption", now=sent)
            survey_answer(token=adoption.token, adopted=adopted, now=sent + dt.timedelta(hours=3))

    for enquiry, state in [(e1, "completed"), (e2, "requested"), (e3, "declined")]:
        Introduction.objects.create(
            enquiry=enquiry,
            model_project=project,
            state=state,
            created_at=at(3, 5, 9),
            requested_at=at(3, 5, 9),
            answered_at=None if state == "requested" else at(3, 6, 9),
            completed_at=at(3, 9, 9) if state == "completed" else None,
        )
    # the services refresh a case's rows after commit, which a test transaction never reaches, and the
    # introductions above are written behind their back: compute the rows once, as the sweep would
    stats_rows_refresh(rebuild=True)

    return SimpleNamespace(
        e1=e1,
        e2=e2,
        e3=e3,
        e4=e4,
        e5=e5,
        e6=e6,
        e7=e7,
        small=small,
        middle=middle,
        big=big,
        project=project,
        partner=partner,
        other_partner=other_partner,
    )
