"""``manage.py generate_load_data --enquiries N``: synthetic enquiries with complete histories, for load tests
and benchmarks; ``--delete`` removes them all again.

This command writes the rows directly instead of going through ``cases.services``: it is a bulk generator
of *history* (two years of transitions at once), which the services cannot produce without waiting for the
time to pass, and a million enquiries one transaction each would take hours. Nothing else may do this.

What it makes (seeded, so the same call makes the same data):
- enquiries spread over the last two years with growing demand, from real municipalities of the directory,
  bigger places asking more often (weight ~ population^0.7), some topics far more popular than others;
- for each one a path through the workflow up to "now": triage, requests for information with and without
  reply, assignment (sometimes declined and reassigned), acceptance, resolution with an outcome, closing;
  a TransitionLog row and a timeline Activity per transition, the deadline fields and escalations;
- satisfaction and adoption surveys (some answered) and introductions to model projects where they fit.

Everything is marked ``Enquiry.is_synthetic=True``; references are ``SYN-<year>-<7 digits>``, a prefix the
real reference sequence (``KTS-``) never uses.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models.functions import Right
from django.utils import timezone, translation

from cases.models import Activity, Enquiry, Outcome, SurveyResponse, TransitionLog
from cases.models.enquiry import new_mail_key
from cases.transitions import TRANSITIONS
from catalogue.models import ConsortiumPartner, ModelProject, Municipality, Topic
from matching.models import Introduction
from stats.facts import stats_rows_refresh
from stats.models import EnquiryStats, EnquiryTopicStats

PREFIX = "SYN"
# states in which a deadline passes unmet (awaiting_reply pauses it)
PAST_DUE_STATES = {"new", "triaged", "assigned", "in_progress"}
BATCH = 5_000
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

OUTCOMES = [
    ("information_provided", 35),
    ("contact_established", 25),
    ("exchange_held", 20),
    ("solution_adopted", 8),
    ("not_pursued", 12),
]
CHANNELS = [("web", 60), ("email", 25), ("phone", 10), ("event", 5)]
SUPPORT = [("information", 40), ("contact", 25), ("advice", 15), ("workshop", 12), ("visit", 8)]
# the timeline text of each transition: the sentence the services write (cases.transitions), in German
with translation.override("de"):
    ACTIVITY_TEXT = {"submit": "Anfrage eingegangen"} | {name: str(t.public_text) for name, t in TRANSITIONS.items()}


def _weighted(pairs: list[tuple[Any, float]]):
    values = [v for v, _w in pairs]
    cumulative = list(itertools.accumulate(w for _v, w in pairs))
    total = cumulative[-1]

    def pick(rng: random.Random):
        return values[bisect.bisect_right(cumulative, rng.random() * total)]

    return pick


def _add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """Monday to Friday only (holidays are left out: this is load data, not a deadline)."""
    current = start
    while days > 0:
        current += DAY
        if current.weekday() < 5:
            days -= 1
    return current


class _Story:
    """One enquiry's path; collects log rows, the fields it ends with, and its outcome and surveys."""

    def __init__(self, rng: random.Random, created: dt.datetime, now: dt.datetime) -> None:
        self.rng, self.now, self.created = rng, now, created
        self.state = "new"
        self.logs: list[tuple[str, str, str, dt.datetime, str]] = [("submit", "", "new", created, "municipality")]
        self.fields: dict[str, Any] = {}
        self.waiting = 0.0
        self.waited_before: dict[str, float] = {}
        self.current = created

    def hours(self, low: float, high: float) -> dt.timedelta:
        return dt.timedelta(hours=self.rng.uniform(low, high))

    def step(self, name: str, to: str, after: dt.timedelta, by: str = "koordination") -> bool:
        when = self.current + after
        if when > self.now:
            return False
        # the history follows the table of transitions, as the services would
        entry = TRANSITIONS[name]
        assert self.state in entry.sources and to in (entry.targets or (entry.target,)), (name, self.state, to)
        self.logs.append((name, self.state, to, when, by))
        if self.state == "awaiting_reply":
            self.waiting += (when - self.current).total_seconds()
        self.state, self.current = to, when
        return True

    def ask(self, back_to: str) -> bool:
        """A request for information; False when the story ends in it (no reply, or now)."""
        if not self.step("request_info", "awaiting_reply", self.hours(1, 48)):
            return False
        if self.rng.random() < 0.85:
            return self.step("receive_reply", back_to, self.hours(12, 240), by="municipality")
        if self.step("close", "closed", dt.timedelta(days=21), by="system"):
            self.fields.update(close_reason="no_reply", closed_at=self.current)
        return False


class Command(BaseCommand):
    help = "Synthetische Anfragen mit vollständiger Historie erzeugen (oder mit --delete entfernen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enquiries", type=int, default=0, help="Anzahl synthetischer Anfragen")
        parser.add_argument("--delete", action="store_true", help="alle synthetischen Anfragen entfernen")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--days", type=int, default=730, help="Zeitraum in Tagen bis heute")

    def handle(self, *args, **options) -> None:
        if not settings.KTS_DEMO_ALLOWED:
            raise CommandError("Lastdaten gehören nicht in die Produktion (KTS_DEMO_ALLOWED ist aus).")
        if options["delete"]:
            started = time.monotonic()
            removed = delete_load_data()
            self.stdout.write(f"{removed} synthetische Anfragen entfernt ({time.monotonic() - started:.1f} s).")
            if not options["enquiries"]:
                return
        count = options["enquiries"]
        if count <= 0:
            raise CommandError("Bitte --enquiries N (N > 0) oder --delete angeben.")
        started = time.monotonic()
        generator = _Generator(seed=options["seed"], days=options["days"], stdout=self.stdout)
        generator.run(count)
        self.stdout.write(
            f"{count} synthetische Anfragen erzeugt in {time.monotonic() - started:.1f} s "
            f"({generator.rows} Zeilen insgesamt)."
        )


def delete_load_data() -> int:
    """Remove every synthetic enquiry and what hangs on it, table by table (no row-by-row cascade)."""
    synthetic = Enquiry.objects.filter(is_synthetic=True).values("pk")
    with transaction.atomic():
        count = Enquiry.objects.filter(is_synthetic=True).count()
        Enquiry.objects.filter(duplicate_of__in=synthetic).update(duplicate_of=None)
        Enquiry.topics.through.objects.filter(enquiry__in=synthetic).delete()
        # Introductions first (they point at matches), then every other table that points at an enquiry.
        Introduction.objects.filter(enquiry__in=synthetic).delete()
        for relation in Enquiry._meta.related_objects:
            if relation.related_model is Enquiry or relation.many_to_many:
                continue
            relation.related_model.objects.filter(**{f"{relation.field.name}__in": synthetic}).delete()
        with connection.cursor() as cursor:
            # Every dependent row is gone; a plain DELETE spares Django's collector a million instances.
            table = connection.ops.quote_name(Enquiry._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE is_synthetic = %s", [True])  # noqa: S608
    return count


class _Generator:
    def __init__(self, *, seed: int, days: int, stdout) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.stdout = stdout
        self.now = timezone.now()
        self.rows = 0
        places = list(Municipality.objects.filter(population__gt=0).values_list("pk", "population", "funded", "level"))
        if not places:
            raise CommandError("Keine Kommunen vorhanden: zuerst `manage.py import_municipalities` ausführen.")
        # Bigger places ask more often, districts now and then.
        self.pick_place = _weighted(
            [((pk, funded), (pop**0.7) * (0.3 if level == "kreis" else 1.0)) for pk, pop, funded, level in places]
        )
        topics = list(Topic.objects.order_by("slug").values_list("pk", flat=True))
        if not topics:
            raise CommandError("Keine Handlungsfelder vorhanden: zuerst den Katalog laden.")
        popularity = list(topics)
        random.Random(seed).shuffle(popularity)
        self.pick_topic = _weighted([(pk, 1.0 / (rank + 1) ** 0.9) for rank, pk in enumerate(popularity)])
        partners = list(ConsortiumPartner.objects.filter(active=True).values_list("pk", flat=True))
        self.pick_partner = _weighted([(pk, 1.0 + (i % 3)) for i, pk in enumerate(partners)]) if partners else None
        projects = list(ModelProject.objects.values_list("pk", flat=True))
        self.pick_project = _weighted([(pk, 1.0 + (i % 4)) for i, pk in enumerate(projects)]) if projects else None
        self.pick_outcome = _weighted(OUTCOMES)
        self.pick_channel = _weighted(CHANNELS)
        self.pick_support = _weighted(SUPPORT)
        # the number runs on across years, so the largest one is found by its last seven digits
        last = (
            Enquiry.objects.filter(reference__startswith=f"{PREFIX}-")
            .annotate(number=Right("reference", 7))
            .order_by("-number")
            .values_list("reference", flat=True)
            .first()
        )
        self.sequence = int(last[-7:]) if last else 0
        self.writer = _Writer()
        self.enquiry_defaults = {
            "contact_name": "Synthetische Kontaktperson",
            "contact_phone": "",
            "contact_role": "",
            "subject": "Erfahrungen aus den Modellprojekten gesucht",
            "message": "Synthetische Lastdaten.",
            "topics_auto": False,
            "priority": Enquiry._meta.get_field("priority").default,
            "is_synthetic": True,
        }

    def created_at(self) -> dt.datetime:
        # Demand grows over the two years: the density rises linearly towards today.
        age_days = self.days * (1.0 - self.rng.random() ** 0.5)
        moment = self.now - dt.timedelta(days=age_days)
        if moment.weekday() >= 5 and self.rng.random() < 0.8:
            moment -= dt.timedelta(days=moment.weekday() - 4)
        return moment.replace(hour=self.rng.randint(6, 16), minute=self.rng.randint(0, 59))

    def run(self, count: int) -> None:
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            with transaction.atomic():
                self.batch(size)
            done += size
            if done % 50_000 == 0 or done == count:
                self.stdout.write(f"  {done} / {count}")
        # the rows carry the historic updated_at, older than any refresh would look at: fill them now
        started = time.monotonic()
        stats_rows_refresh(missing_only=True)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # fresh statistics for the planner, and the visibility map that lets the percentile walks read
            # the covering indexes alone (VACUUM cannot run inside a transaction)
            with connection.cursor() as cursor:
                for model in (EnquiryStats, EnquiryTopicStats):
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(f"  Statistikzeilen berechnet ({time.monotonic() - started:.1f} s)")

    def story(self, created: dt.datetime, support: str) -> _Story:
        s = _Story(self.rng, created, self.now)
        rng = self.rng
        if rng.random() < 0.06:
            if s.step("close", "closed", s.hours(1, 48)):
                s.fields.update(close_reason=rng.choice(["spam", "out_of_scope", "duplicate"]), closed_at=s.current)
            return s
        if not s.step("triage", "triaged", s.hours(0.5, 20)):
            return s
        s.waited_before["assignment"] = s.waiting
        if rng.random() < 0.12 and not s.ask("triaged"):
            return s
        if self.pick_partner is None:
            return s
        partner = self.pick_partner(rng)
        if not s.step("assign", "assigned", s.hours(2, 70)):
            return s
        s.fields.update(assigned_partner_id=partner, assigned_at=s.current)
        s.waited_before["assignment"] = s.waiting
        if rng.random() < 0.05:
            if not s.step("decline", "triaged", s.hours(1, 48), by="partner"):
                return s
            partner = self.pick_partner(rng)
            if not s.step("assign", "assigned", s.hours(1, 24)):
                return s
            s.fields.update(assigned_partner_id=partner, assigned_at=s.current)
        if not s.step("accept", "in_progress", s.hours(1, 60), by="partner"):
            return s
        s.fields["first_response_at"] = s.current
        s.waited_before["first_response"] = s.waiting
        if support == "contact" or rng.random() < 0.1:
            s.fields["introduction"] = True
        if rng.random() < 0.15 and not s.ask("in_progress"):
            return s
        if rng.random() < 0.03:
            if s.step("withdraw", "closed", s.hours(24, 400), by="municipality"):
                s.fields.update(close_reason="withdrawn", closed_at=s.current)
            return s
        resolve_after = dt.timedelta(days=min(90.0, rng.lognormvariate(2.2, 0.7)))
        if not s.step("resolve", "resolved", resolve_after, by="partner"):
            return s
        resolved = s.current
        s.fields.update(resolved_at=resolved, outcome=self.pick_outcome(rng))
        s.waited_before["resolution"] = s.waiting
        self.surveys(s, resolved)
        return s

    def surveys(self, s: _Story, resolved: dt.datetime) -> None:
        """The satisfaction survey 14 days after resolving (an answer closes the case as completed, else the
        system closes it after 30 days), the adoption survey after six months."""
        rng = self.rng
        sent = resolved + dt.timedelta(days=14)
        if sent > self.now:
            return
        answered = sent + dt.timedelta(days=rng.uniform(0.2, 10)) if rng.random() < 0.45 else None
        if answered is not None and answered > self.now:
            answered = None
        s.fields["satisfaction"] = (sent, answered)
        closing = answered or (resolved + dt.timedelta(days=30))
        if s.step("close", "closed", closing - s.current, by="municipality" if answered else "system"):
            s.fields.update(close_reason="completed", closed_at=s.current)
        adoption_sent = resolved + dt.timedelta(days=182)
        if adoption_sent <= self.now:
            adopted = adoption_sent + dt.timedelta(days=rng.uniform(0.5, 20)) if rng.random() < 0.35 else None
            s.fields["adoption"] = (adoption_sent, adopted if adopted and adopted <= self.now else None)

    def batch(self, size: int) -> None:
        rng, now = self.rng, self.now
        ids = self.writer.reserve_ids(Enquiry, size)
        enquiries, topic_rows, logs, activities, outcomes, surveys, introductions = [], [], [], [], [], [], []
        for enquiry_id in ids:
            self.sequence += 1
            created = self.created_at()
            (place, funded), support = self.pick_place(rng), self.pick_support(rng)
            chosen = {self.pick_topic(rng)} | ({self.pick_topic(rng)} if rng.random() < 0.4 else set())
            s = self.story(created, support)
            fields, waiting = s.fields, s.waiting
            first_due = _add_working_days(created, 2) + dt.timedelta(
                seconds=s.waited_before.get("first_response", waiting)
            )
            assign_due = _add_working_days(created, 5) + dt.timedelta(
                seconds=s.waited_before.get("assignment", waiting)
            )
            resolve_due = _add_working_days(created, 30) + dt.timedelta(
                seconds=s.waited_before.get("resolution", waiting)
            )
            first_at = fields.get("first_response_at")
            missed = (first_at is not None and first_at > first_due) or (
                first_at is None and s.state in PAST_DUE_STATES and first_due < now
            )
            enquiries.append(
                {
                    "id": enquiry_id,
                    "reference": f"{PREFIX}-{created.year}-{self.sequence:07d}",
                    "municipality_id": place,
                    "funded": funded,
                    "contact_email": f"syn{self.sequence}@example.invalid",
                    "support_type": support,
                    "channel": self.pick_channel(rng),
                    "consent_at": created,
                    "state": s.state,
                    "close_reason": fields.get("close_reason", ""),
                    "assigned_partner_id": fields.get("assigned_partner_id"),
                    "public_token": secrets.token_urlsafe(24),
                    "mail_key": new_mail_key(),
                    "created_at": created,
                    "updated_at": s.current,
                    "first_response_at": first_at,
                    "assigned_at": fields.get("assigned_at"),
                    "resolved_at": fields.get("resolved_at"),
                    "closed_at": fields.get("closed_at"),
                    "first_response_due": first_due,
                    "assignment_due": assign_due,
                    "resolution_due": resolve_due,
                    "waiting_seconds": int(waiting),
                    "escalated_at": first_due + HOUR if missed and first_due + HOUR <= now else None,
                    "paused_at": s.current if s.state == "awaiting_reply" else None,
                    "satisfaction_survey_sent_at": fields["satisfaction"][0] if "satisfaction" in fields else None,
                    "adoption_survey_sent_at": fields["adoption"][0] if "adoption" in fields else None,
                }
            )
            topic_rows += [{"enquiry_id": enquiry_id, "topic_id": t} for t in chosen]
            for name, source, target, when, by in s.logs:
                logs.append(
                    {
                        "enquiry_id": enquiry_id,
                        "transition": name,
                        "from_state": source,
                        "to_state": target,
                        "by": by,
                        "at": when,
                    }
                )
                activities.append(
                    {"enquiry_id": enquiry_id, "transition": name, "actor": by, "text": ACTIVITY_TEXT[name], "at": when}
                )
            if "resolved_at" in fields:
                outcomes.append(
                    {"enquiry_id": enquiry_id, "category": fields["outcome"], "recorded_at": fields["resolved_at"]}
                )
                surveys += self.survey_rows(enquiry_id, s)
            if fields.get("introduction") and self.pick_project is not None:
                introductions.append(self.introduction(enquiry_id, s))
        self.writer.write(Enquiry, enquiries, self.enquiry_defaults)
        self.writer.write(Enquiry.topics.through, topic_rows)
        self.writer.write(TransitionLog, logs, {"comment": ""})
        self.writer.write(Activity, activities, {"kind": Activity.Kind.TRANSITION, "public": True})
        self.writer.write(Outcome, outcomes, {"notes": "Synthetisch."})
        self.writer.write(SurveyResponse, surveys, {"comment": "", "adopted": "", "score": None, "useful": None})
        self.writer.write(Introduction, introductions, {"answer_note": ""})
        self.rows += len(enquiries) + len(topic_rows) + len(logs) + len(activities) + len(outcomes)
        self.rows += len(surveys) + len(introductions)

    def survey_rows(self, enquiry_id: int, s: _Story) -> list[dict[str, Any]]:
        rng, rows = self.rng, []
        if "satisfaction" in s.fields:
            sent, answered = s.fields["satisfaction"]
            rows.append(
                {
                    "enquiry_id": enquiry_id,
                    "kind": SurveyResponse.Kind.SATISFACTION,
                    "token": secrets.token_urlsafe(24),
                    "sent_at": sent,
                    "expires_at": sent + dt.timedelta(days=30),
                    "score": rng.choices([1, 2, 3, 4, 5], [3, 5, 15, 40, 37])[0] if answered else None,
                    "useful": (rng.random() < 0.8) if answered else None,
                    "answered_at": answered,
                }
            )
        if "adoption" in s.fields:
            sent, answered = s.fields["adoption"]
            rows.append(
                {
                    "enquiry_id": enquiry_id,
                    "kind": SurveyResponse.Kind.ADOPTION,
                    "token": secrets.token_urlsafe(24),
                    "sent_at": sent,
                    "expires_at": sent + dt.timedelta(days=60),
                    "adopted": rng.choices(["yes", "planned", "no"], [25, 35, 40])[0] if answered else "",
                    "answered_at": answered,
                }
            )
        return rows

    def introduction(self, enquiry_id: int, s: _Story) -> dict[str, Any]:
        rng = self.rng
        requested = s.fields["first_response_at"] + dt.timedelta(hours=rng.uniform(2, 48))
        roll = rng.random()
        state = "requested"
        answered = completed = None
        if requested <= self.now:
            answered = requested + dt.timedelta(days=rng.uniform(0.5, 7))
            if answered > self.now or roll < 0.15:
                answered = None
            elif roll < 0.35:
                state = "declined"
            else:
                state = "accepted"
                if s.fields.get("resolved_at") and rng.random() < 0.7:
                    state, completed = "completed", s.fields["resolved_at"]
        return {
            "enquiry_id": enquiry_id,
            "model_project_id": self.pick_project(rng),
            "match_id": None,
            "state": state,
            "token": secrets.token_urlsafe(24),
            "created_at": requested,
            "requested_at": requested,
            "answered_at": answered,
            "completed_at": completed,
        }


class _Writer:
    """Row dicts into a table: PostgreSQL's COPY (fast), elsewhere bulk_create. Columns not given take the
    values of ``defaults`` (the same for every row of the call), then NULL."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model, count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))

    def write(self, model, rows: list[dict[str, Any]], defaults: dict[str, Any] | None = None) -> None:
        if not rows:
            return
        defaults = dict(defaults or {})
        # columns other areas add later with a plain default keep working without a change here
        for field in model._meta.concrete_fields:
            fresh = field.attname not in rows[0] and field.name not in defaults and not field.primary_key
            if fresh and field.has_default() and not callable(field.default):
                defaults[field.attname] = field.default
            elif fresh and not field.null and field.get_internal_type() in {"CharField", "TextField"}:
                defaults[field.attname] = ""  # a text column without a default: Django writes "" too
        columns = list(dict.fromkeys([*rows[0], *defaults]))
        if self.postgres:
            quoted = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(c, defaults.get(c)) for c in columns])
            return
        model.objects.bulk_create(
            [model(**{c: row.get(c, defaults.get(c)) for c in columns}) for row in rows], batch_size=500
        )
