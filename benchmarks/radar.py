"""The demand radar at scale (per size): ``matching.radar.radar_groups`` over the default window (six months),
one group again by its key, and the API's ``GET /api/v1/radar/`` as a coordinator's full request; median ms and
query count of each.

Run by ``make bench`` once per size against ``kts_bench_<size>`` (built by ``benchmarks.data``), or directly:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kts_bench_100000 KTS_BENCH_SIZE=100000 \\
        .venv/bin/python -m benchmarks.radar

The load generator writes the same subject and message into every enquiry, so on its data the radar finds
nothing to group (every word is in every case, hence generic). On PostgreSQL the benchmark therefore measures
twice: the data as they are, and "varied texts": inside a transaction that is rolled back at the end, the
window's enquiries get subjects and messages from ``THEMES`` (a demand each, several wordings) plus boilerplate
sentences, and their search fields are rebuilt (``cases.search.search_refresh``), so that the radar has real
groups to find and real term lists to read. Nothing of that stays (the table is vacuumed after the rollback). KTS_BENCH_RADAR_TEXTS=0 skips the second
pass; KTS_BENCH_REPEAT sets the runs per figure. Target: a few seconds at 100,000 enquiries.
"""

from __future__ import annotations

import os
import statistics
import time

import django

SQLITE_SIZE = 3_000

# (subjects, messages) of one demand; an enquiry gets one of each, chosen by its id
THEMES = [
    (
        ["Sensoren für freie Parkplätze", "Parkraumsensoren in der Innenstadt", "Parkplatzsensorik"],
        [
            "Wir möchten Parkplätze mit Sensoren ausstatten, damit freie Stellplätze in einer App erscheinen.",
            "Welche Sensoren melden, ob ein Parkplatz belegt ist, und wie zuverlässig sind sie im Winter?",
            "Der Parksuchverkehr soll sinken: Sensoren im Boden zeigen freie Parkplätze an.",
        ],
    ),
    (
        ["Straßenbeleuchtung dimmen", "Intelligente Straßenlaternen", "Lichtmanagement für Straßen"],
        [
            "Die Straßenbeleuchtung soll nachts gedimmt werden und bei Bewegung heller werden.",
            "Wir suchen Erfahrungen mit LED-Straßenlaternen, die Bewegungsmelder haben.",
            "Wie steuert man die Beleuchtung zentral, um Strom zu sparen?",
        ],
    ),
    (
        ["Rufbus für die Ortsteile", "On-Demand-Shuttle im ländlichen Raum", "Bürgerbus per App"],
        [
            "Ein Kleinbus, den man per App oder Telefon bestellt, soll die Dörfer verbinden.",
            "Der Linienbus fährt zu selten; ein Rufbus auf Bestellung wäre eine Lösung.",
            "Wie organisiert man ein Shuttle auf Abruf mit ehrenamtlichen Fahrern?",
        ],
    ),
    (
        ["Urbane Datenplattform aufbauen", "Offene Daten bereitstellen", "Datenplattform der Stadt"],
        [
            "Wir wollen eine Datenplattform aufbauen, die Verkehrsdaten und Umweltdaten bündelt.",
            "Welche Schnittstellen und Lizenzen braucht eine offene Datenplattform?",
            "Die Daten der Ämter sollen auf einer Plattform zusammenlaufen und offen sein.",
        ],
    ),
    (
        ["Bodenfeuchte der Stadtbäume messen", "Bewässerung von Bäumen mit Sensoren", "Baumsensoren"],
        [
            "Sensoren im Wurzelraum sollen melden, wann ein Stadtbaum Wasser braucht.",
            "Wir möchten die Bewässerung der Bäume im Sommer nach Messwerten planen.",
            "Die Trockenheit schadet den Bäumen; Bodenfeuchtesensoren könnten helfen.",
        ],
    ),
    (
        ["Füllstandsensoren für Mülleimer", "Papierkörbe mit Sensoren", "Abfallbehälter melden Füllstand"],
        [
            "Die Müllabfuhr soll nur noch volle Papierkörbe leeren; Sensoren melden den Füllstand.",
            "Überquellende Mülleimer in den Parks: gibt es Sensoren, die das melden?",
            "Wie rechnen sich Füllstandsensoren für Abfallbehälter?",
        ],
    ),
    (
        ["Digitale Bürgerbeteiligung", "Beteiligungsplattform einführen", "Online-Beteiligung"],
        [
            "Wir suchen eine Plattform, auf der Bürgerinnen und Bürger Vorschläge machen und abstimmen.",
            "Wie beteiligt man Jugendliche online an der Planung des Stadtparks?",
            "Die Beteiligung an Bauvorhaben soll digital werden, mit Karten und Kommentaren.",
        ],
    ),
    (
        ["Digitaler Zwilling der Stadt", "3D-Stadtmodell", "Stadtmodell für Planung"],
        [
            "Ein digitaler Zwilling soll Planungen sichtbar machen, bevor gebaut wird.",
            "Wir möchten ein 3D-Stadtmodell für Hochwasser- und Hitzesimulationen nutzen.",
            "Welche Daten braucht ein digitaler Zwilling, und wer pflegt ihn?",
        ],
    ),
    (
        ["Energiemonitoring kommunaler Gebäude", "Stromverbrauch der Schulen messen", "Energiedaten"],
        [
            "Der Verbrauch von Strom und Wärme in Schulen und Hallen soll laufend gemessen werden.",
            "Wir möchten Zähler auslesen und den Energieverbrauch der Gebäude vergleichen.",
            "Wie findet man mit Energiemonitoring die Gebäude, die am meisten verbrauchen?",
        ],
    ),
    (
        ["Digitale Infostelen", "Anzeigetafeln im Ortskern", "Bildschirme für Bürgerinformation"],
        [
            "Infostelen am Marktplatz sollen Termine, Busabfahrten und Warnungen zeigen.",
            "Wer pflegt die Inhalte digitaler Anzeigetafeln, und was kosten sie im Betrieb?",
            "Wir möchten Bildschirme im Rathaus und an Haltestellen aufstellen.",
        ],
    ),
]
# boilerplate that many enquiries share whatever they ask
FILLERS = [
    "Wir sind eine Gemeinde im ländlichen Raum mit rund achttausend Einwohnern.",
    "Der Gemeinderat hat das Vorhaben im Frühjahr beschlossen.",
    "Fördermittel sind beantragt, die Entscheidung steht noch aus.",
    "Wir freuen uns über Unterlagen, Kostenschätzungen und Ansprechpersonen.",
    "Besonders interessieren uns Datenschutz und Betriebskosten.",
    "Eine Ausschreibung ist für das nächste Jahr geplant.",
    "Die Kreisverwaltung unterstützt uns bei der Umsetzung.",
    "Gerne würden wir ein Modellprojekt vor Ort besuchen.",
    "Unsere Verwaltung hat wenig Personal für Digitalisierung.",
    "Ein Workshop mit den Nachbargemeinden wäre hilfreich.",
    "Die Stadtwerke sind bereit, sich zu beteiligen.",
    "Wir haben bereits ein LoRaWAN-Netz im Stadtgebiet.",
]


def _median(fn, repeat: int) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, result = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, result


def _coordinator():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username="bench-koordination")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    return get_user_model().objects.get(pk=user.pk)


def _figures(label: str, client, repeat: int) -> None:
    from matching.radar import radar_group, radar_groups

    seconds, queries, groups = _median(radar_groups, repeat)
    sizes = [g.size for g in groups]
    enquiries = f"{sum(sizes):,} enquiries, largest {max(sizes, default=0)}"
    print(
        f"  {label}: radar_groups   {seconds * 1000:7.0f} ms  {queries:3d} queries  ({len(groups)} groups, {enquiries})"
    )
    if groups:
        key = groups[0].key
        seconds, queries, _group = _median(lambda: radar_group(key=key), repeat)
        print(f"  {label}: radar_group    {seconds * 1000:7.0f} ms  {queries:3d} queries  ({key})")

    def request() -> None:
        response = client.get("/api/v1/radar/")
        assert response.status_code == 200, response.status_code

    seconds, queries, _ = _median(request, repeat)
    print(f"  {label}: GET /api/v1/radar/ {seconds * 1000:5.0f} ms  {queries:3d} queries", flush=True)


def _vary_texts() -> int:
    """The window's enquiries get THEMES and FILLERS (within the caller's transaction); returns how many."""
    from django.db import connection

    from cases.models import Enquiry
    from cases.search import search_refresh
    from matching.radar import DEFAULT_DAYS

    subjects = [s for subjects, _messages in THEMES for s in subjects]
    messages = [m for _subjects, messages in THEMES for m in messages]
    table = connection.ops.quote_name(Enquiry._meta.db_table)
    through = connection.ops.quote_name(Enquiry.topics.through._meta.db_table)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # the theme follows the first field of action (as real demand does; the generator's topics are random),
        # the wording and the boilerplate further digits of the id
        cursor.execute(
            f"""
            WITH chosen AS (
                SELECT e.id, coalesce((SELECT min(t.topic_id) FROM {through} t WHERE t.enquiry_id = e.id), e.id)
                    %% %(themes)s AS theme
                FROM {table} e WHERE e.created_at >= now() - make_interval(days => %(days)s)
            )
            UPDATE {table} e SET
                subject = (%(subjects)s::text[])[1 + c.theme * 3 + (e.id / %(themes)s) %% 3],
                message = (%(messages)s::text[])[1 + c.theme * 3 + (e.id / (%(themes)s * 3)) %% 3]
                    || ' ' || (%(fillers)s::text[])[1 + (e.id * 7) %% %(n_fillers)s]
                    || ' ' || (%(fillers)s::text[])[1 + (e.id * 13 + 5) %% %(n_fillers)s]
            FROM chosen c WHERE c.id = e.id
            RETURNING e.id
            """,  # noqa: S608 (the table names from the models)
            {
                "subjects": subjects,
                "messages": messages,
                "fillers": FILLERS,
                "themes": len(THEMES),
                "n_fillers": len(FILLERS),
                "days": DEFAULT_DAYS + 1,
            },
        )
        ids = [row[0] for row in cursor.fetchall()]
    search_refresh(ids)
    print(f"  varied texts: {len(ids):,} enquiries rewritten and reindexed in {time.perf_counter() - started:.0f} s")
    return len(ids)


class _RollBack(Exception):
    pass


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.local")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from cases.models import Enquiry
    from matching.index import catalogue_index

    repeat = int(os.environ.get("KTS_BENCH_REPEAT", "3"))
    generated = False
    sqlite_run = not os.environ.get("KTS_BENCH_SIZE") and connection.vendor == "sqlite"
    if sqlite_run and not Enquiry.objects.filter(is_synthetic=True).exists():
        call_command("generate_load_data", enquiries=SQLITE_SIZE, stdout=open(os.devnull, "w"))  # noqa: SIM115
        generated = True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = APIClient()
    client.force_authenticate(_coordinator())
    catalogue_index()  # built once per process, as in a running server
    size = Enquiry.objects.count()
    print(f"benchmarks.radar: {size:,} enquiries ({connection.vendor}), median of {repeat} runs")
    try:
        _figures("as generated", client, repeat)
        if connection.vendor == "postgresql" and os.environ.get("KTS_BENCH_RADAR_TEXTS", "1") != "0":
            try:
                with transaction.atomic():
                    _vary_texts()
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE " + connection.ops.quote_name(Enquiry._meta.db_table))
                    _figures("varied texts", client, repeat)
                    raise _RollBack
            except _RollBack:
                # the rolled-back rows stay behind as dead tuples (three versions per case and run): cleared now,
                # or every later benchmark on this database would read them
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE " + connection.ops.quote_name(Enquiry._meta.db_table))
                print("  varied texts: rolled back, table vacuumed")
    finally:
        if generated:
            call_command("generate_load_data", delete=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
            print("benchmarks.radar: the synthetic enquiries of this run were removed again")


if __name__ == "__main__":
    main()
