"""The fields of action (Handlungsfelder) of the transfer office, with the keywords that drive auto-tagging
and the topic signal of matching.

Keywords are written as German word stems in lower case ("verkehr" also hits "Verkehrsplanung",
"verkehrlich"); ``keywords_for`` adds the folded spelling of each (crm.text.fold: "straße" -> "strasse",
"bürger" -> "buerger"), so that a text folded the same way is found whether its writer typed umlauts or
not. Matching and auto-tagging compare folded text against these stems with a substring test, so a stem
must be specific enough not to hit unrelated words (hence "kita" but not "kit", "ladesäule" but not "lade").

``SOURCE_TOPIC_MAP`` maps the topic words of the model-project sources (model_projects.csv ``topics`` and
model_project_measures.csv ``topic``) to these slugs; it is derived from those files only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.text import fold


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name_de: str
    name_en: str
    keywords: tuple[str, ...]
    description: str = ""
    parent: str | None = None
    extra: dict = field(default_factory=dict)


# fmt: off
TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "mobility", "Mobilität und Verkehr", "Mobility and transport",
        (
            "mobilität", "verkehr", "öpnv", "nahverkehr", "bus", "rufbus", "bürgerbus", "shuttle", "on-demand",
            "on demand", "ridepooling", "carsharing", "sharing", "fahrrad", "radverkehr", "radweg", "lastenrad",
            "e-scooter", "parken", "parkplatz", "parkraum", "parkleitsystem", "ladesäule", "ladeinfrastruktur",
            "elektromobilität", "e-mobilität", "autonomes fahren", "autonom", "fahrplan", "haltestelle", "pendler",
            "verkehrsfluss", "ampel", "logistik", "lieferverkehr", "mobilstation", "fußverkehr", "fußgänger",
            "dorfshuttle", "erzmobil",
        ),
        "ÖPNV, Rad- und Fußverkehr, On-Demand-Verkehre, Parken, Elektromobilität, Logistik.",
    ),
    TopicSpec(
        "energy", "Energie", "Energy",
        (
            "energie", "strom", "wärme", "waerme", "wärmeplanung", "kommunale wärmeplanung", "photovoltaik", "solar",
            "pv-anlage", "windkraft", "windenergie", "erneuerbar", "energiemonitoring", "energiemanagement",
            "energieverbrauch", "energiesparen", "energieeffizien", "smart meter", "smart grid", "stromnetz",
            "netzausbau", "speicher", "batteriespeicher", "wasserstoff", "stadtwerke", "nahwärme", "fernwärme",
            "heizung", "wärmepumpe", "sanierung", "lastmanagement",
        ),
        "Energieerzeugung und -verbrauch, Energiemonitoring, kommunale Wärmeplanung, erneuerbare Energien.",
    ),
    TopicSpec(
        "climate-adaptation", "Klimaschutz und Klimaanpassung", "Climate protection and adaptation",
        (
            "klima", "klimaschutz", "klimaanpassung", "klimawandel", "klimaneutral", "co2", "co₂", "emission",
            "treibhausgas", "hitze", "hitzeschutz", "hitzeaktionsplan", "dürre", "trockenheit", "starkregen",
            "stadtgrün", "stadtbäume", "baum", "bäume", "begrünung", "dachbegrünung", "grünfläche", "umwelt",
            "umweltsensor", "luftqualität", "luftgüte", "feinstaub", "lärm", "biodiversität", "nachhaltigkeit",
            "nachhaltig", "resilienz", "talking trees",
        ),
        "Klimaschutz, Anpassung an Hitze und Starkregen, Stadtgrün, Umwelt- und Luftqualitätsmessung.",
    ),
    TopicSpec(
        "water", "Wasser und Abwasser", "Water and wastewater",
        (
            "wasser", "abwasser", "trinkwasser", "regenwasser", "grundwasser", "hochwasser", "pegel", "pegelstand",
            "pegelmessung", "überschwemmung", "überflutung", "hochwasserschutz", "kanalnetz", "kanalisation",
            "kläranlage", "bewässerung", "gewässer", "schwammstadt", "zisterne", "wasserversorgung",
            "wasserverbrauch", "bodenfeuchte",
        ),
        "Wasserversorgung, Abwasser, Hochwasser- und Starkregenvorsorge, Bewässerung, Gewässermonitoring.",
    ),
    TopicSpec(
        "urban-data-platform", "Urbane Datenplattform und offene Daten", "Urban data platform and open data",
        (
            "datenplattform", "urbane datenplattform", "udp", "open data", "offene daten", "opendata", "datenportal",
            "daten", "datenraum", "datensouveränität", "datenstrategie", "datenmanagement", "datenhub",
            "smartcity hub", "smart city hub", "dashboard", "cockpit", "fiware", "schnittstelle", "datenkatalog",
            "dateninfrastruktur", "echtzeitdaten", "geodaten", "visualisierung", "datenintegration", "interoperab",
        ),
        "Urbane Datenplattformen, offene Daten, Dashboards und Cockpits, Datenstrategie und -souveränität.",
    ),
    TopicSpec(
        "digital-twin", "Digitaler Zwilling", "Digital twin",
        (
            "digitaler zwilling", "digitale zwilling", "digitalen zwilling", "zwilling", "digital twin",
            "3d-stadtmodell", "3d-modell", "stadtmodell", "simulation", "bim", "building information", "punktwolke",
            "laserscan", "geoinformation", "connected urban twins",
        ),
        "Digitale Zwillinge, 3D-Stadtmodelle, Simulation und Szenarien für Planung und Betrieb.",
        parent="urban-data-platform",
    ),
    TopicSpec(
        "administration", "Verwaltung und E-Government", "Administration and e-government",
        (
            "verwaltung", "e-government", "egovernment", "onlinezugang", "ozg", "onlinedienst", "online-dienst",
            "bürgerservice", "bürgerbüro", "bürgeramt", "bürgernähe", "antrag", "formular",
            "digitalisierung der verwaltung", "e-akte", "elektronische akte", "dokumentenmanagement",
            "terminvergabe", "chatbot", "bürgerkonto", "servicekonto", "rathaus", "behörde", "verwaltungsleistung",
            "prozessdigitalisierung", "digitale verwaltung", "personalausweis",
        ),
        "Digitale Verwaltungsleistungen, Onlinezugangsgesetz, Bürgerservice, E-Akte, Chatbots.",
    ),
    TopicSpec(
        "participation", "Beteiligung", "Participation",
        (
            "beteiligung", "bürgerbeteiligung", "partizipation", "mitwirkung", "mitgestalt", "mitmach",
            "bürgerdialog", "dialog", "umfrage", "befragung", "bürgerhaushalt", "beteiligungsplattform",
            "ideenplattform", "ideenlab", "mängelmelder", "mängel melden", "bürgerrat", "reallabor", "co-creation",
            "ko-kreation", "engagement", "ehrenamt", "bürgerinnen und bürger",
        ),
        "Digitale und analoge Bürgerbeteiligung, Mängelmelder, Ideenplattformen, Reallabore.",
    ),
    TopicSpec(
        "education", "Bildung und digitale Kompetenzen", "Education and digital skills",
        (
            "bildung", "schule", "schulen", "schüler", "lernen", "lernort", "kita", "kindertagesstätte",
            "volkshochschule", "vhs", "bibliothek", "bücherei", "medienkompetenz", "digitalkompetenz",
            "digitale kompetenz", "weiterbildung", "fortbildung", "qualifizierung", "schulung", "makerspace",
            "fablab", "digitalzentrum", "digitallotse", "digitalbotschafter", "senioren digital", "tablet", "mint",
            "hochschule", "universität",
        ),
        "Schulen, Bibliotheken, Digitalkompetenz und Weiterbildung, Makerspaces und Digitalzentren.",
    ),
    TopicSpec(
        "health-care", "Gesundheit und Pflege", "Health and care",
        (
            "gesundheit", "pflege", "pflegeheim", "altenpflege", "klinik", "klinikum", "krankenhaus", "arzt", "ärzt",
            "hausarzt", "telemedizin", "medizin", "notfall", "rettungsdienst", "ambulant", "demenz", "senioren",
            "älter", "alter menschen", "ageing", "assistenz", "barrierefrei", "inklusion", "behinderung",
            "self-check-in", "check-in", "gesundheitsversorgung", "apotheke", "prävention", "sport", "bewegung",
        ),
        "Gesundheitsversorgung, Telemedizin, Pflege, Angebote für Ältere, Barrierefreiheit.",
    ),
    TopicSpec(
        "housing", "Wohnen und Quartier", "Housing and neighbourhoods",
        (
            "wohnen", "wohnung", "wohnraum", "wohnungsbau", "wohnungsbaugesellschaft", "quartier",
            "quartiersentwicklung", "nachbarschaft", "smart home", "smart living", "mieter", "leerstand", "bauen",
            "bauantrag", "baugenehmigung", "baulücke", "@home", "thüringen@home", "lebensraum", "siedlung",
            "bauland",
        ),
        "Wohnen, Quartiersentwicklung, Nachbarschaft, Leerstand, digitales Bauen und Baugenehmigung.",
    ),
    TopicSpec(
        "retail-economy", "Handel und lokale Wirtschaft", "Retail and local economy",
        (
            "handel", "einzelhandel", "innenstadt", "ortskern", "stadtkern", "marktplatz", "lokaler marktplatz",
            "online-marktplatz", "onlineshop", "geschäft", "händler", "gastronomie", "wirtschaft",
            "wirtschaftsförderung", "gewerbe", "unternehmen", "mittelstand", "handwerk", "startup", "start-up",
            "gründung", "coworking", "co-working", "fachkräfte", "arbeitsplatz", "lokale logistik", "dritter ort",
            "frequenz", "passantenfrequenz", "leerstandsmanagement", "gutschein", "stadtgutschein",
        ),
        "Belebung der Innenstadt, lokaler Handel, Wirtschaftsförderung, Coworking, Gründungen.",
    ),
    TopicSpec(
        "culture-tourism", "Kultur, Freizeit und Tourismus", "Culture, leisure and tourism",
        (
            "kultur", "museum", "theater", "kulturerbe", "denkmal", "veranstaltung", "festival", "freizeit",
            "tourismus", "tourist", "touristisch", "gästeführung", "stadtführung", "besucher", "sehenswürdigkeit",
            "erlebnis", "augmented reality", "virtual reality", "ar-app", "naherholung", "wandern", "schwimmbad",
            "vereinsleben", "sportverein", "veranstaltungskalender",
        ),
        "Kultureinrichtungen, Veranstaltungen, Tourismus und Besucherlenkung, Freizeit und Vereine.",
    ),
    TopicSpec(
        "public-safety", "Öffentliche Sicherheit und Bevölkerungsschutz", "Public safety and civil protection",
        (
            "sicherheit", "öffentliche sicherheit", "feuerwehr", "firemon", "brandschutz", "katastrophenschutz",
            "bevölkerungsschutz", "warnung", "warnsystem", "sirene", "krisen", "krisenmanagement", "notruf",
            "rettung", "überwachung", "videoüberwachung", "kriminal", "ordnungsamt", "cybersicherheit",
            "it-sicherheit", "informationssicherheit", "lagebild",
        ),
        "Feuerwehr, Katastrophen- und Bevölkerungsschutz, Warnsysteme, Cyber- und IT-Sicherheit.",
    ),
    TopicSpec(
        "lighting-infrastructure", "Beleuchtung und städtische Infrastruktur", "Lighting and municipal infrastructure",
        (
            "beleuchtung", "straßenbeleuchtung", "lichtmanagement", "leuchte", "laterne", "solarleuchte",
            "mitlaufendes licht", "smarte bank", "solarbank", "solarbänke", "bänke", "mülleimer", "abfall",
            "abfallwirtschaft", "müll", "füllstand", "winterdienst", "straßenzustand", "brücke", "bauhof",
            "städtische infrastruktur", "straßeninfrastruktur", "stadtinfrastruktur", "stadtmobiliar", "display",
            "screen", "screens", "info-stele", "stele",
        ),
        "Intelligente Straßenbeleuchtung, Stadtmobiliar, Abfall, Bauhof und Straßeninfrastruktur.",
    ),
    TopicSpec(
        "digital-infrastructure", "Digitale Infrastruktur und Sensorik", "Digital infrastructure and sensors",
        (
            "digitale infrastruktur", "breitband", "glasfaser", "5g", "mobilfunk", "wlan", "wifi", "freifunk",
            "lorawan", "lora", "iot", "internet der dinge", "sensor", "sensorik", "sensornetz", "funknetz",
            "netzabdeckung", "rechenzentrum", "cloud", "open source", "standardisierung", "künstliche intelligenz",
            "ki-", "ki gestützt", "algorithmus",
        ),
        "Breitband und Glasfaser, LoRaWAN und Sensornetze, IoT, Cloud, Open Source, KI.",
    ),
    TopicSpec(
        "rural-development", "Ländliche Räume und Daseinsvorsorge", "Rural areas and public services",
        (
            "ländlich", "dörfer", "dorfladen", "im dorf", "dorfgemeinschaft", "dorfentwicklung", "landgemeinde",
            "kleinstadt", "region", "regional", "interkommunal", "kooperation", "daseinsvorsorge", "nahversorgung",
            "grundversorgung", "landwirtschaft", "agrar", "abwanderung", "demografie", "demographie",
            "demografischer wandel", "ehrenamtliche", "amt süderbrarup",
        ),
        "Daseinsvorsorge und Nahversorgung in ländlichen Räumen, Dorfentwicklung, interkommunale Zusammenarbeit.",
    ),
    TopicSpec(
        "governance-strategy", "Strategie und Steuerung", "Governance and strategy",
        (
            "strategie", "smart-city-strategie", "smart city strategie", "digitalstrategie", "leitbild", "steuerung",
            "governance", "projektmanagement", "fördermittel", "finanzierung", "vergabe", "beschaffung",
            "ausschreibung", "evaluation", "wirkungsmessung", "verstetigung", "wissenstransfer", "kulturwandel",
            "stabsstelle", "cdo", "digitalisierungsbeauftragt", "ethik", "datenschutz",
        ),
        "Smart-City-Strategie, Organisation und Steuerung, Finanzierung und Vergabe, Verstetigung, Evaluation.",
    ),
    TopicSpec(
        "urban-development", "Stadtentwicklung und Stadtplanung", "Urban development and planning",
        (
            "stadtentwicklung", "stadtplanung", "städtebau", "bauleitplanung", "bebauungsplan", "flächennutzung",
            "raumplanung", "planung", "digitale stadtplanung", "öffentlicher raum", "freiraum", "platzgestaltung",
            "stadtumbau", "konversion", "flächenmanagement",
        ),
        "Stadt- und Raumplanung, Städtebau, Gestaltung öffentlicher Räume, Flächenmanagement.",
    ),
    TopicSpec(
        "community", "Zusammenleben und soziale Teilhabe", "Community and social inclusion",
        (
            "zusammenleben", "gemeinschaft", "gemeinwohl", "soziale teilhabe", "teilhabe", "soziale inklusion",
            "inklusion", "migration", "zugewandert", "geflüchtete", "familie", "familien", "kinder", "jugend",
            "jugendliche", "generationen", "einsamkeit", "nachbarschaftshilfe", "sozial", "armut",
            "chancengleichheit", "gleichstellung", "begegnung", "treffpunkt",
        ),
        "Zusammenhalt, Teilhabe und Inklusion, Angebote für Familien, Jugend und ältere Menschen.",
    ),
)
# fmt: on

# Topic words as the model-project sources write them (folded) -> taxonomy slugs. Derived from
# model_projects.csv and model_project_measures.csv; an unknown word is reported by the loader.
SOURCE_TOPIC_MAP: dict[str, tuple[str, ...]] = {
    fold(word): slugs
    for word, slugs in {
        "Mobilität": ("mobility",),
        "Zusammenleben": ("community",),
        "Umwelt/Energie": ("energy", "climate-adaptation"),
        "Umwelt und Energie": ("energy", "climate-adaptation"),
        "Energie und Umwelt": ("energy", "climate-adaptation"),
        "Energie": ("energy",),
        "Bildung": ("education",),
        "Handel": ("retail-economy",),
        "Kultur": ("culture-tourism",),
        "Verwaltung": ("administration",),
        "digitale Infrastruktur": ("digital-infrastructure",),
        "Daten": ("urban-data-platform",),
        "Partizipation": ("participation",),
        "Gesundheit": ("health-care",),
        "Stadtentwicklung": ("urban-development",),
        "Wirtschaft": ("retail-economy",),
        "Bildung und Kultur": ("education", "culture-tourism"),
        "Städtebau": ("urban-development",),
        "Stadtentwicklung und Verkehr": ("urban-development", "mobility"),
        "Bürgerbeteiligung": ("participation",),
        "Bürgernähe": ("administration", "participation"),
        "Cybersicherheit, Standardisierung & Datensouveränität": (
            "public-safety",
            "digital-infrastructure",
            "urban-data-platform",
        ),
        "Digitale Plattform": ("urban-data-platform",),
        "Digitale Stadtplanung": ("urban-development", "digital-twin"),
        "Soziale Inklusion": ("community",),
        "Gemeinschaft": ("community",),
        "Kultur und Freizeit": ("culture-tourism",),
        "Tourismus": ("culture-tourism",),
        "Bauen, Wohnen und Lebensraum": ("housing",),
        "Wohnen": ("housing",),
        "Digitale Zwillinge": ("digital-twin",),
        "Digitaler Zwilling": ("digital-twin",),
        "Urbane Datenplattformen": ("urban-data-platform",),
        "Urbane Datenplattform": ("urban-data-platform",),
    }.items()
}

TOPIC_SLUGS: tuple[str, ...] = tuple(spec.slug for spec in TOPICS)


def keywords_for(spec: TopicSpec) -> list[str]:
    """The keywords as written plus their folded spelling, without duplicates, in a stable order."""
    seen: dict[str, None] = {}
    for word in spec.keywords:
        for variant in (word.lower(), fold(word)):
            seen.setdefault(variant, None)
    return list(seen)


def source_topics_to_slugs(text: str) -> tuple[list[str], list[str]]:
    """Split a source topic list ("Mobilität; Energie; ...") and map it.

    Returns (slugs, unknown words); the slugs keep the order of first mention.
    """
    slugs: dict[str, None] = {}
    unknown: list[str] = []
    for word in (part.strip() for part in text.split(";")):
        if not word:
            continue
        mapped = SOURCE_TOPIC_MAP.get(fold(word))
        if mapped is None:
            unknown.append(word)
            continue
        for slug in mapped:
            slugs.setdefault(slug, None)
    return list(slugs), unknown
