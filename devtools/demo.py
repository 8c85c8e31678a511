"""Demo data for `make run`: clearly marked demo consortium partners, demo staff logins, demo contacts of the
model projects and about 30 demo enquiries spread over the states of the workflow.

Everything here is marked as demo (``is_demo``, ``contact_is_demo``, e-mail addresses under ``.demo.invalid``
that can never be delivered); nothing is presented as a fact about a real model project. Enquiries are made
only through the workflow services (``enquiry_submit``, ``enquiry_transition``), with the clock moved back,
so that they carry a realistic history. Idempotent: a second run creates nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.models import Enquiry, ReplyTemplate
from cases.replies import reply_template_save
from catalogue.loaders import topics_sync
from catalogue.models import ConsortiumPartner, ModelProject, Municipality, Topic
from catalogue.staff import roles_ensure, staff_create
from core.roles import COORDINATOR, MANAGER, PARTNER

DEMO_DOMAIN = "demo.invalid"
DEMO_PASSWORD = "Demo-Passwort-2026"

# short name, name, expertise (taxonomy slugs), regions (Länder codes, empty = nationwide), capacity, active
DEMO_PARTNERS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], int, bool], ...] = (
    ("DLR-PT", "DLR Projektträger", ("governance-strategy", "administration", "urban-data-platform"), (), 25, True),
    (
        "DIFU",
        "Deutsches Institut für Urbanistik",
        ("urban-development", "governance-strategy", "participation", "housing", "climate-adaptation"),
        (),
        20,
        True,
    ),
    (
        "CCC",
        "Creative Climate Cities",
        ("climate-adaptation", "participation", "community", "culture-tourism"),
        ("BE", "BB", "MV", "SN", "ST", "TH"),
        12,
        True,
    ),
    (
        "IESE",
        "Fraunhofer IESE",
        ("urban-data-platform", "digital-twin", "digital-infrastructure", "rural-development"),
        ("RP", "SL", "HE", "BW"),
        15,
        True,
    ),
    (
        "IAO",
        "Fraunhofer IAO",
        ("mobility", "energy", "lighting-infrastructure", "retail-economy"),
        ("BW", "BY"),
        15,
        True,
    ),
    (
        "KGST",
        "KGSt – Kommunale Gemeinschaftsstelle",
        ("administration", "governance-strategy", "education"),
        (),
        10,
        True,
    ),
    (
        "IFOK",
        "ifok GmbH",
        ("participation", "community", "health-care", "public-safety"),
        ("NW", "HE", "NI", "SH", "HB", "HH"),
        10,
        True,
    ),
    ("PROGNOS", "Prognos AG", ("energy", "water", "climate-adaptation", "mobility"), (), 8, False),
)

# username, role, partner short name
DEMO_STAFF: tuple[tuple[str, str, str | None], ...] = (
    ("koordination", COORDINATOR, None),
    ("leitung", MANAGER, None),
    ("difu", PARTNER, "DIFU"),
    ("iese", PARTNER, "IESE"),
    ("ccc", PARTNER, "CCC"),
    ("iao", PARTNER, "IAO"),
)


@dataclass(frozen=True)
class DemoEnquiry:
    number: int
    ags: str
    subject: str
    message: str
    topics: tuple[str, ...]
    support_type: str
    days_ago: int
    # The path through the workflow after submission: ("triage", {...}), ("assign", "DIFU"), ...
    path: tuple[str, ...]
    channel: str = "web"


_PATHS = {
    "new": (),
    "triaged": ("triage",),
    "assigned": ("triage", "assign"),
    "in_progress": ("triage", "assign", "accept"),
    "awaiting_reply": ("triage", "assign", "accept", "request_info"),
    "resolved": ("triage", "assign", "accept", "resolve"),
    "closed_completed": ("triage", "assign", "accept", "resolve", "close"),
    "closed_out_of_scope": ("triage", "close"),
    "closed_spam": ("close",),
}

DEMO_ENQUIRIES: tuple[DemoEnquiry, ...] = tuple(
    DemoEnquiry(number, ags, subject, message, topics, support, days, _PATHS[path], channel)
    for number, (ags, subject, message, topics, support, days, path, channel) in enumerate(
        [
            ("09672114", "Rufbus im ländlichen Raum", "Wir planen einen On-Demand-Rufbus für unsere Ortsteile und suchen Erfahrungen mit Buchung per App und Telefon.", ("mobility",), "contact", 170, "closed_completed", "web"),
            ("12070424", "Urbane Datenplattform aufbauen", "Wie haben Modellprojekte ihre urbane Datenplattform ausgeschrieben und welche Open-Source-Bausteine nutzen sie?", ("urban-data-platform",), "advice", 160, "closed_completed", "email"),
            ("01054056", "Digitalzentrum im Amt", "Wir möchten ein Digitalzentrum als Lernort für Senioren und Vereine einrichten.", ("education", "community"), "visit", 16, "resolved", "web"),
            ("14627140", "Energiemonitoring kommunaler Gebäude", "Welche Sensorik und welches Dashboard eignen sich für das Energiemonitoring unserer Schulen und Turnhallen?", ("energy",), "information", 14, "resolved", "phone"),
            ("09261000", "Digitaler Zwilling für die Stadtplanung", "Wir prüfen einen digitalen Zwilling mit 3D-Stadtmodell für Bauleitplanung und Beteiligung.", ("digital-twin", "urban-development"), "workshop", 12, "resolved", "web"),
            ("08416041", "Hitzeaktionsplan mit Sensoren", "Wir suchen Beispiele für Hitzeschutz mit Temperatursensoren und Stadtbäumen.", ("climate-adaptation",), "information", 10, "resolved", "web"),
            ("12060052", "Bürgerbeteiligung online", "Welche Beteiligungsplattform setzen Modellprojekte ein und wie erreichen sie Jugendliche?", ("participation",), "contact", 120, "closed_completed", "event"),
            ("06631009", "Smarte Straßenbeleuchtung", "Lichtmanagement mit LoRaWAN: Wie viel Energie spart mitlaufendes Licht wirklich?", ("lighting-infrastructure", "energy"), "information", 110, "closed_out_of_scope", "email"),
            ("03355022", "Leerstand in der Innenstadt", "Wir möchten Leerstand und Passantenfrequenz messen und den lokalen Handel digital stärken.", ("retail-economy",), "advice", 100, "in_progress", "web"),
            ("16055000", "Kulturangebote digital sichtbar machen", "Ein gemeinsamer Veranstaltungskalender für Museen und Theater: Wer hat so etwas schon aufgebaut?", ("culture-tourism",), "contact", 95, "in_progress", "web"),
            ("14626110", "Telemedizin in der Pflege", "Wir interessieren uns für Telemedizin in Pflegeheimen und ambulanter Pflege.", ("health-care",), "information", 9, "awaiting_reply", "phone"),
            ("09262000", "Hochwasser-Pegelmessung", "Wie haben andere Kommunen Pegelmessung und Warnung bei Hochwasser umgesetzt?", ("water", "public-safety"), "contact", 80, "in_progress", "web"),
            ("08127076", "Smart-City-Strategie erarbeiten", "Wir beginnen mit unserer Smart-City-Strategie und suchen Erfahrungen zu Governance und Beteiligung.", ("governance-strategy",), "workshop", 7, "awaiting_reply", "web"),
            ("12068320", "Online-Dienste im Bürgerbüro", "Welche Erfahrungen gibt es mit Terminvergabe und Chatbot im Bürgerbüro?", ("administration",), "information", 70, "in_progress", "email"),
            ("15085370", "Tourismus-App mit Augmented Reality", "Wir möchten Sehenswürdigkeiten mit einer App und Augmented Reality erlebbar machen.", ("culture-tourism",), "advice", 65, "assigned", "web"),
            ("13075039", "LoRaWAN-Netz aufbauen", "Wir planen ein stadtweites LoRaWAN-Netz für Sensoren. Wer betreibt so ein Netz schon?", ("digital-infrastructure",), "contact", 60, "assigned", "web"),
            ("09463000", "Parkleitsystem", "Ein digitales Parkleitsystem mit Sensoren in der Altstadt: Welche Modellprojekte haben Erfahrungen?", ("mobility",), "information", 55, "closed_out_of_scope", "web"),
            ("05974040", "Dorfladen mit digitaler Kasse", "Wir suchen Beispiele für digitale Dorfläden zur Nahversorgung im ländlichen Raum.", ("rural-development",), "visit", 50, "assigned", "event"),
            ("09762000", "Wärmeplanung mit Daten", "Für die kommunale Wärmeplanung brauchen wir Daten zu Gebäuden und Verbrauch.", ("energy", "urban-data-platform"), "advice", 45, "triaged", "web"),
            ("03402000", "Schulen digital ausstatten", "Wie haben Modellprojekte Tablets und WLAN in Schulen gemeinsam mit den Schulträgern eingeführt?", ("education",), "information", 40, "triaged", "web"),
            ("09263000", "Abfall: Füllstandsensoren", "Füllstandsensoren in Mülleimern: Lohnt sich das für eine Stadt unserer Größe?", ("lighting-infrastructure",), "contact", 35, "triaged", "phone"),
            ("03456015", "Mängelmelder einführen", "Wir möchten einen Mängelmelder für Bürgerinnen und Bürger einführen.", ("participation", "administration"), "information", 30, "triaged", "web"),
            ("08326074", "Carsharing im Quartier", "Wie binden andere Kommunen Carsharing und Mobilstationen in neue Quartiere ein?", ("mobility", "housing"), "contact", 25, "triaged", "web"),
            ("07233", "Kreisweite Datenstrategie", "Unser Landkreis möchte eine Datenstrategie mit den kreisangehörigen Gemeinden erarbeiten.", ("governance-strategy", "urban-data-platform"), "workshop", 21, "new", "email"),
            ("12073", "Mobilität im Landkreis", "Wie haben Landkreise On-Demand-Verkehre und Bürgerbusse verknüpft?", (), "contact", 14, "new", "web"),
            ("09173112", "Klimaanpassung in der Kleinstadt", "Starkregen und Hitze: Welche Sensorik und welche Maßnahmen haben kleine Städte umgesetzt?", (), "information", 7, "new", "web"),
            ("09372116", "Coworking auf dem Land", "Wir möchten einen Coworking-Space im Ortskern eröffnen und suchen Erfahrungen.", (), "advice", 4, "new", "web"),
            ("14627140", "Nochmal: Energiemonitoring", "Kaufen Sie jetzt günstige Uhren!!! www.spam.invalid", (), "information", 3, "closed_spam", "web"),
            ("09464000", "Open Data Portal", "Wir möchten unsere offenen Daten in einem Datenportal veröffentlichen. Welche Software nutzen Modellprojekte?", ("urban-data-platform",), "information", 2, "new", "web"),
            ("06631009", "Quartier und Nachbarschaft digital", "Eine Nachbarschaftsplattform für ein neues Wohnquartier: Wer hat Erfahrungen?", ("housing", "community"), "contact", 1, "new", "web"),
            # several towns ask about the same thing: the demand radar shows them as one group (devtools: demo event)
            ("09571136", "On-Demand-Rufbus für Ortsteile", "Wir möchten einen Rufbus auf Bestellung per App und Telefon für unsere Ortsteile einführen. Wer hat einen On-Demand-Verkehr schon in Betrieb?", ("mobility",), "workshop", 20, "in_progress", "web"),
            ("09778173", "Rufbus auf Abruf im ländlichen Raum", "Ein On-Demand-Rufbus soll die Buslinien am Abend ersetzen. Welche Erfahrungen haben Modellprojekte mit Buchung per App?", ("mobility",), "contact", 15, "in_progress", "email"),
            ("08115021", "On-Demand-Verkehr und Bürgerbus", "Wie verknüpfen Modellprojekte einen On-Demand-Rufbus mit dem Bürgerbus und dem Linienverkehr?", ("mobility",), "information", 11, "triaged", "web"),
            ("09372126", "Rufbus per App buchen", "Unsere Gemeinde plant einen Rufbus, der per App und Telefon gebucht wird. Wir suchen Modellprojekte mit On-Demand-Verkehr.", ("mobility",), "workshop", 6, "new", "web"),
        ],
        start=1,
    )
)  # fmt: skip

_ASSIGN_TO = {"mobility": "IAO", "energy": "IAO", "urban-data-platform": "IESE", "digital-twin": "IESE"}
_OUTCOMES = ["contact_established", "information_provided", "exchange_held", "solution_adopted"]


def demo_email(local: str, where: str) -> str:
    return f"{local}@{where}.{DEMO_DOMAIN}"


@transaction.atomic
def demo_partners_seed() -> int:
    created = 0
    topics = {t.slug: t for t in Topic.objects.all()}
    for short_name, name, expertise, regions, capacity, active in DEMO_PARTNERS:
        partner, was_created = ConsortiumPartner.objects.get_or_create(
            short_name=short_name,
            defaults={
                "name": name,
                "regions": list(regions),
                "capacity": capacity,
                "active": active,
                "is_demo": True,
                "email": demo_email("kts", short_name.lower()),
            },
        )
        if was_created:
            partner.expertise.set([topics[slug] for slug in expertise])
            created += 1
    return created


def demo_staff_seed() -> list[tuple[str, str, str | None, bool]]:
    """The demo logins; an existing account is left as it is (its password may have been changed)."""
    roles_ensure()
    logins = []
    user_model = get_user_model()
    for username, role, partner in DEMO_STAFF:
        exists = user_model.objects.filter(username=username).exists()
        if not exists:
            staff_create(
                username=username,
                role=role,
                partner_short_name=partner,
                email=demo_email(username, "kts"),
                password=DEMO_PASSWORD,
                validate=False,
            )
        logins.append((username, role, partner, not exists))
    return logins


@transaction.atomic
def demo_contacts_seed() -> int:
    """Model projects without a contact get an obviously fake one (the real contacts were not collected)."""
    count = 0
    for project in ModelProject.objects.filter(contact_email=""):
        project.contact_name = "Demo-Ansprechperson"
        project.contact_email = demo_email("kontakt", project.slug)
        project.contact_is_demo = True
        project.save(update_fields=["contact_name", "contact_email", "contact_is_demo"])
        count += 1
    return count


@contextlib.contextmanager
def _clock(at: datetime):
    """Move the clock back for the workflow services (they stamp their rows with timezone.now())."""
    try:
        import time_machine
    except ImportError:  # without time-machine the history is stamped now; still valid data
        yield
        return
    with time_machine.travel(at, tick=False):
        yield


def _partner_for(spec: DemoEnquiry) -> ConsortiumPartner:
    for slug in spec.topics:
        if slug in _ASSIGN_TO:
            return ConsortiumPartner.objects.get(short_name=_ASSIGN_TO[slug])
    return ConsortiumPartner.objects.get(short_name=("DIFU", "CCC", "IESE")[spec.number % 3])


def demo_enquiries_seed(*, now: datetime | None = None) -> int:
    """Submit and move the demo enquiries that do not exist yet; returns how many were made."""
    from cases.intake import enquiry_submit
    from cases.services import enquiry_transition
    from outbox.models import OutboxMessage

    now = now or timezone.now()
    coordinator = get_user_model().objects.get(username="koordination")
    first_outbox_id = (OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    made = 0
    for spec in DEMO_ENQUIRIES:
        email = demo_email(f"anfrage-{spec.number:02d}", "kommune")
        if Enquiry.objects.filter(contact_email=email).exists():
            continue
        if not Municipality.objects.filter(ags=spec.ags).exists():
            continue
        at = now - timedelta(days=spec.days_ago, hours=spec.number % 7)
        with _clock(at):
            enquiry = enquiry_submit(
                municipality_ags=spec.ags,
                contact_name=f"Demo-Kontakt {spec.number:02d}",
                contact_email=email,
                contact_role="Demo: Digitalisierungsbeauftragte",
                subject=spec.subject,
                message=spec.message,
                topic_slugs=list(spec.topics),
                support_type=spec.support_type,
                channel=spec.channel,
                consent=True,
                now=at,
            )
        made += 1
        partner = _partner_for(spec)
        partner_user = get_user_model().objects.filter(membership__partner=partner).first()
        step_at = at
        for step in spec.path:
            step_at += timedelta(days=1 + spec.number % 3, hours=2)
            by, payload = coordinator, {}
            if step == "triage" and not spec.topics:
                payload = {"topics": list(enquiry.topics.values_list("slug", flat=True)) or ["governance-strategy"]}
            elif step == "assign":
                payload = {"partner": partner.pk}
            elif step in {"accept", "resolve"}:
                by = partner_user or coordinator
                if step == "resolve":
                    payload = {
                        "category": _OUTCOMES[spec.number % len(_OUTCOMES)],
                        "notes": "Demo: Kontakt zu einem passenden Modellprojekt hergestellt.",
                    }
            elif step == "request_info":
                payload = {"message": "Demo: Können Sie uns Ihre Einwohnerzahl und den Zeitplan nennen?"}
            elif step == "close":
                reason = {"closed_spam": "spam", "closed_out_of_scope": "out_of_scope"}
                state_name = next(k for k, v in _PATHS.items() if v == spec.path)
                payload = {"reason": reason.get(state_name, "completed")}
            _deadlines_in_history(enquiry, until=min(step_at, now))
            with _clock(min(step_at, now)):
                enquiry = enquiry_transition(enquiry=enquiry, name=step, by=by, payload=payload)
        _deadlines_in_history(enquiry, until=now)
    _history_sent(first_id=first_outbox_id, before=now)
    return made


# The periodic escalation job runs every 15 minutes (settings/schedule.py).
ESCALATION_EVERY = timedelta(minutes=15)


def _deadlines_in_history(enquiry: Enquiry, *, until: datetime) -> None:
    """What the escalation job would have done while this case's history went by: each deadline that passed
    before ``until`` is escalated (through the one service) at the job's first run after it. Without this, the
    demo's past breaches were all escalated by the first run after `make run` started (28 e-mails at once)."""
    from cases.deadlines import DEADLINES, deadline_escalate

    enquiry.refresh_from_db()
    for name, (due_field, _breached, _states, _met) in DEADLINES.items():
        due = getattr(enquiry, due_field)
        if due is None:
            continue
        if due < until:
            run_at = min(due + ESCALATION_EVERY, until)
            with _clock(run_at):
                deadline_escalate(enquiry_id=enquiry.pk, name=name, now=run_at)
    enquiry.refresh_from_db()


def _history_sent(*, first_id: int, before: datetime) -> None:
    """The demo's mails of the past were sent in the past: marked so (they go to *.demo.invalid anyway), the
    worker does not send the whole history when `make run` starts."""
    from outbox.models import OutboxMessage
    from outbox.services import outbox_history_mark_sent

    ids = list(OutboxMessage.objects.filter(id__gte=first_id, created_at__lt=before).values_list("id", flat=True))
    outbox_history_mark_sent(message_ids=ids)


DEMO_TEMPLATES = [
    (
        "Rückfrage: Stand vor Ort",
        "request_info",
        "Guten Tag {kontakt},\n\nvielen Dank für Ihre Anfrage {aktenzeichen}. Damit wir {kommune} die passenden "
        "Modellprojekte nennen können: Was ist bei Ihnen schon vorhanden (Daten, Sensorik, Personal), und bis wann "
        "möchten Sie entscheiden?\n\nMit freundlichen Grüßen\n{bearbeiter}",
    ),
    (
        "Notiz: Telefonat",
        "note",
        "Telefonat mit {kontakt} ({kommune}) zu {aktenzeichen}: ",
    ),
]


def demo_templates_seed() -> int:
    """Two reply templates (Textbausteine) by the demo coordinator; existing titles are left as they are."""
    coordinator = get_user_model().objects.get(username="koordination")
    made = 0
    for title, use, body in DEMO_TEMPLATES:
        if not ReplyTemplate.objects.filter(title=title).exists():
            reply_template_save(by=coordinator, title=title, body=body, use=use)
            made += 1
    return made


DEMO_EVENT_TITLE = "Transferworkshop: On-Demand-Rufbus im ländlichen Raum"
DEMO_PAST_EVENT_TITLE = "Transferworkshop: Urbane Datenplattform"


def demo_events_seed(*, now: datetime | None = None) -> int:
    """Two demo events through the event services: a workshop held a month ago (with its attendance) and the
    next one on the on-demand bus, open for registration, with the towns of that radar group invited."""
    from events.models import Event, Invitation
    from events.outcomes import attendance_record
    from events.registrations import invitations_send, registration_answer
    from events.services import EventData, event_create, event_hold, event_open
    from outbox.models import OutboxMessage

    now = now or timezone.now()
    coordinator = get_user_model().objects.get(username="koordination")
    first_outbox_id = (OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    made = 0

    def enquiries_on(slug: str, words: tuple[str, ...]) -> list[Enquiry]:
        found = Enquiry.objects.filter(contact_email__endswith=DEMO_DOMAIN, topics__slug=slug).distinct()
        return [e for e in found.order_by("created_at") if any(w in e.subject for w in words)]

    def project_on(slug: str, pattern: str) -> list[ModelProject]:
        """Two projects whose measures are about it (e.g. an on-demand shuttle), else two of the field."""
        projects = ModelProject.objects.exclude(contact_email="")
        found = list(projects.filter(measures__title__iregex=pattern).distinct().order_by("name")[:2])
        return found or list(projects.filter(topics__slug=slug).order_by("name")[:2])

    if not Event.objects.filter(title=DEMO_PAST_EVENT_TITLE).exists():
        held_at = (now - timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
        platform = Topic.objects.filter(slug="urban-data-platform").first()
        group = enquiries_on("urban-data-platform", ("Datenplattform", "Datenportal", "Datenstrategie"))
        if platform is not None and group:
            with _clock(held_at - timedelta(days=21)):
                event = event_create(
                    data=EventData(
                        title=DEMO_PAST_EVENT_TITLE,
                        starts_at=held_at,
                        ends_at=held_at + timedelta(hours=3),
                        capacity=20,
                        topics=[platform],
                        description="Demo: Modellprojekte zeigen ihre urbanen Datenplattformen und Ausschreibungen.",
                        projects=project_on("urban-data-platform", r"datenplattform|open data"),
                    ),
                    by=coordinator,
                )
                event = event_open(event=event, by=coordinator)
                invitations_send(event=event, enquiries=group, by=coordinator)
                for invitation in Invitation.objects.filter(event=event):
                    registration_answer(token=invitation.token, register=True)
            with _clock(held_at + timedelta(hours=4)):
                event = event_hold(event=event, by=coordinator)
                attended = list(Invitation.objects.filter(event=event).values_list("pk", flat=True)[:1])
                attendance_record(event=event, attended=attended, by=coordinator)
            made += 1

    if not Event.objects.filter(title=DEMO_EVENT_TITLE).exists():
        mobility = Topic.objects.filter(slug="mobility").first()
        group = enquiries_on("mobility", ("Rufbus", "On-Demand"))
        if mobility is not None:
            starts_at = (now + timedelta(days=21)).replace(hour=14, minute=0, second=0, microsecond=0)
            planned_at = now - timedelta(days=2)
            with _clock(planned_at):
                event = event_create(
                    data=EventData(
                        title=DEMO_EVENT_TITLE,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(hours=2),
                        capacity=12,
                        topics=[mobility],
                        description="Demo: Modellprojekte berichten, wie sie Rufbusse auf Bestellung eingeführt haben.",
                        enquiries=group,
                        projects=project_on("mobility", r"on.demand|shuttle|rufbus"),
                    ),
                    by=coordinator,
                )
                event = event_open(event=event, by=coordinator)
                open_cases = [e for e in group if e.state != "closed"]
                if open_cases:
                    invitations_send(event=event, enquiries=open_cases, by=coordinator)
            made += 1
    # the invitations and requests went out when the events were planned (they go to *.demo.invalid anyway)
    _history_sent(first_id=first_outbox_id, before=now)
    return made


def demo_seed() -> dict:
    """Everything of the demo, in order. Returns what was made and the logins to print."""
    topics_sync()
    partners = demo_partners_seed()
    logins = demo_staff_seed()
    contacts = demo_contacts_seed()
    enquiries = demo_enquiries_seed()
    demo_templates_seed()
    events = demo_events_seed()
    return {"partners": partners, "logins": logins, "contacts": contacts, "enquiries": enquiries, "events": events}
