"""The fields of action (Handlungsfelder) of the transfer office, with the keywords that drive auto-tagging
and the topic feature of matching.

Keywords are written as German word stems in lower case ("verkehr" also hits "Verkehrsplanung",
"verkehrlich"); ``keywords_for`` adds the folded spelling of each (core.text.fold: "straße" -> "strasse",
"bürger" -> "buerger"), so that a text folded the same way is found whether its writer typed umlauts or
not. Matching and auto-tagging compare folded text against these stems with a substring test, so a stem
must be specific enough not to hit unrelated words (hence "kita" but not "kit", "ladesäule" but not "lade").

``SOURCE_TOPIC_MAP`` maps the topic words of the model-project sources (model_projects.csv ``topics`` and
model_project_measures.csv ``topic``) to these slugs; it is derived from those files only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.text import fold


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

# Topic words as the model-project sources write them -> taxonomy slugs. Derived from model_projects.csv
# ``topics`` and model_project_measures.csv ``topic`` only (../shared/data/SOURCES.md sections 2 and 3); the
# lookup is by ``source_key`` (folded, trailing "!" dropped), so "Digitale Infrastruktur" and "digitale
# Infrastruktur" are one entry. Grouped by the first field of action; a word that names two fields maps to
# both. Where a word joins a clear field with a vague one ("Mobilität und Infrastruktur") only the clear part
# is mapped. Mottos whose meaning the word does not carry ("lebenswert", "stark", "Bewahren", "Smarte Stadt")
# are left out on purpose: the loader reports them as notes with their line number (see UNMAPPED_ON_PURPOSE).
# fmt: off
_SOURCE_TOPICS: dict[str, tuple[str, ...]] = {
    # --- mobility
    "Mobilität": ("mobility",),
    "Mobilität und Verkehr": ("mobility",),
    "Mobilität und Infrastruktur": ("mobility",),
    "Mobilität & Erreichbarkeit": ("mobility",),
    "Mobilität & Identität": ("mobility",),
    "Mobilitätswende": ("mobility",),
    "Integrierte Mobilität": ("mobility",),
    "Integrierte Verkehrswende": ("mobility",),
    "Intelligente Mobilität": ("mobility",),
    "Smart Mobility": ("mobility",),
    "Smarte Mobilität": ("mobility",),
    "Smarte & Nachhaltige Mobilität": ("mobility",),
    "Verkehr": ("mobility",),
    "Verkehr/Smart Traffic": ("mobility",),
    "Logistik": ("mobility",),
    # Lohmar's field "on the move"; its measure under it is a car-sharing offer.
    "Digital gut unterwegs!": ("mobility",),
    "Nachhaltige Mobilität und Umwelt": ("mobility", "climate-adaptation"),
    "Stadtentwicklung und Verkehr": ("urban-development", "mobility"),
    "Stadtentwicklung, Umwelt und Verkehr": ("urban-development", "climate-adaptation", "mobility"),
    # --- energy (and environment, which the sources pair with it)
    "Energie": ("energy",),
    "Umwelt/Energie": ("energy", "climate-adaptation"),
    "Umwelt und Energie": ("energy", "climate-adaptation"),
    "Energie und Umwelt": ("energy", "climate-adaptation"),
    "Energie & Umwelt": ("energy", "climate-adaptation"),
    "Umwelt, Energie und Klima": ("energy", "climate-adaptation"),
    "Smart Living/Smart Energy and Environment": ("housing", "energy", "climate-adaptation"),
    "Energie- und Verkehrsdaten": ("urban-data-platform", "energy", "mobility"),
    # --- climate protection and adaptation, environment
    "Klima": ("climate-adaptation",),
    "Klimaschutz": ("climate-adaptation",),
    "Klimaschutz (CO2)": ("climate-adaptation",),
    "Klimaanpassung": ("climate-adaptation",),
    "Klimaschutz & -anpassung": ("climate-adaptation",),
    "Klimaschutz und Klimaanpassung": ("climate-adaptation",),
    "Klimaverantwortung": ("climate-adaptation",),
    "Klima und Umwelt": ("climate-adaptation",),
    "Umwelt": ("climate-adaptation",),
    "Luftqualität": ("climate-adaptation",),
    "Natur und Landschaft": ("climate-adaptation",),
    "Nachhaltigkeit": ("climate-adaptation",),
    # Kempten's "Zukunftsaufgabe": the source describes it as the green, climate-friendly city.
    "Nachhaltige Allgäu-Metropole": ("climate-adaptation",),
    # Waste is municipal infrastructure here (Abfallwirtschaft), emissions are climate.
    "Abfall & Emissionen": ("lighting-infrastructure", "climate-adaptation"),
    "Abfall und Emissionen": ("lighting-infrastructure", "climate-adaptation"),
    # Regensburg's measure: material reused in the city (circular economy, less waste).
    "Kreislaufwirtschaft": ("climate-adaptation", "lighting-infrastructure"),
    # Bad Belzig's Leitziel: a healthy living environment (health and environment).
    "Gesundes Lebensumfeld": ("health-care", "climate-adaptation"),
    # --- water
    "Wasser": ("water",),
    "Wasserkreisläufe": ("water",),
    "Wasserkommunikation": ("water",),
    "Wasserdaten": ("water", "urban-data-platform"),
    "Bewässerung von Jungbäumen": ("water", "climate-adaptation"),
    "Küsten- und Meeresschutz": ("water", "climate-adaptation"),
    # Rostock's core project "Wasser. Warnow. Wir.": water-quality sensors, jetties, the riverside to visit.
    "Warnow erlebbar": ("water", "culture-tourism"),
    # --- urban data platform and open data, digital twin
    "Daten": ("urban-data-platform",),
    "Daten und Informationen": ("urban-data-platform",),
    "Daten und Plattformen": ("urban-data-platform",),
    "Daten.Mehr.Wert": ("urban-data-platform",),
    "Datensouveränität": ("urban-data-platform",),
    "Datenvisualisierung": ("urban-data-platform",),
    "Offene Daten": ("urban-data-platform",),
    "Urbane Daten": ("urban-data-platform",),
    "Urbane Datenplattform": ("urban-data-platform",),
    "Urbane Datenplattformen": ("urban-data-platform",),
    "Digitale Plattform": ("urban-data-platform",),
    "Innovationslandkarte und integrierte Datenstruktur": ("urban-data-platform",),
    "Data & Technologie": ("urban-data-platform", "digital-infrastructure"),
    "Cybersicherheit, Standardisierung & Datensouveränität": (
        "public-safety", "digital-infrastructure", "urban-data-platform",
    ),
    "Digitaler Zwilling": ("digital-twin",),
    "Digitale Zwillinge": ("digital-twin",),
    "City Information Model": ("digital-twin",),
    # --- administration
    "Verwaltung": ("administration",),
    "Moderne Verwaltung": ("administration",),
    "Digitale Verwaltung": ("administration",),
    "Digitale & Bürgerorientierte Verwaltung": ("administration",),
    "Vernetzte Verwaltung": ("administration",),
    "Smarte Verwaltung": ("administration",),
    "Smart Government": ("administration",),
    "Bürgerdienste": ("administration",),
    "Bürgernähe": ("administration", "participation"),
    # --- participation
    "Partizipation": ("participation",),
    "niederschwellige Partizipation": ("participation",),
    "Beteiligung": ("participation",),
    "Bürgerbeteiligung": ("participation",),
    "Mitgestaltung": ("participation",),
    "Demokratie": ("participation",),
    "Ehrenamt": ("participation",),
    "Zusammenleben und Mitmachen": ("community", "participation"),
    # The Eifelkreis' field: its source names club life, volunteering and young people moving away.
    "Eifelleben": ("community", "participation"),
    # --- education
    "Bildung": ("education",),
    "digitale Bildung": ("education",),
    "Smarte Bildung": ("education",),
    "Smarte Bildungsräume": ("education",),
    "Digitale Kompetenzen": ("education",),
    "digitale Kompetenz": ("education",),
    "Lernen": ("education",),
    "Digital besser lernen!": ("education",),
    "Bildung und Kultur": ("education", "culture-tourism"),
    "Bildung, Kultur und Freizeit": ("education", "culture-tourism"),
    "Arbeiten und Bildung": ("retail-economy", "education"),
    # --- health and care
    "Gesundheit": ("health-care",),
    "Gesundheit & Pflege": ("health-care",),
    "Gesundheit und Pflege": ("health-care",),
    "Gesundheitsnetzwerk": ("health-care",),
    "Gesundheit und Soziales": ("health-care", "community"),
    # --- housing and neighbourhoods
    "Wohnen": ("housing",),
    "Bauen und Wohnen": ("housing",),
    "Bauen, Wohnen und Lebensraum": ("housing",),
    "Wohnen und Leben": ("housing",),
    "virtuelles Wohnen": ("housing",),
    "Zuhause": ("housing",),  # Hannover's field "at home", next to its own "Lebensraum"
    "Quartier": ("housing",),
    "Quartiersentwicklung": ("housing", "urban-development"),
    "intelligente Quartiersentwicklung": ("housing", "urban-development"),
    "Aufenthaltsqualität in Quartieren": ("urban-development", "housing"),
    "Wohnen, Leben und Stadtentwicklung": ("housing", "urban-development"),
    # --- retail and local economy
    "Wirtschaft": ("retail-economy",),
    "Smarte Wirtschaft": ("retail-economy",),
    "Wirtschaftskraft": ("retail-economy",),
    "Wirtschaft und Innovationskraft": ("retail-economy",),
    "Wettbewerbsfähigkeit": ("retail-economy",),
    "Gewerbe": ("retail-economy",),
    "Handel": ("retail-economy",),
    "Einzelhandel": ("retail-economy",),
    # The measures under it count passers-by and manage empty shops in the town centre.
    "Innenstadt": ("retail-economy",),
    "Lebendige Zentren": ("retail-economy", "urban-development"),
    "Florierendes und lebenswertes Stadtzentrum": ("retail-economy", "urban-development"),
    "Wirtschaft, Handel und Tourismus": ("retail-economy", "culture-tourism"),
    # Science pairs with the education field (universities, Hochschulen).
    "Wissenschaft und Wirtschaft": ("retail-economy", "education"),
    "Innovative Wirtschaft und Wissenschaft": ("retail-economy", "education"),
    "Gemeinwohl & Wirtschaft": ("community", "retail-economy"),
    "Smart Society/Economy": ("community", "retail-economy"),
    "Arbeit & Soziales": ("retail-economy", "community"),
    "digitale Vermarktung regionaler Lebensmittel": ("retail-economy", "rural-development"),
    # --- culture, leisure and tourism
    "Kultur": ("culture-tourism",),
    "Kultur & Freizeit": ("culture-tourism",),
    "Kultur und Freizeit": ("culture-tourism",),
    "Tourismus": ("culture-tourism",),
    "nachhaltiger Tourismus": ("culture-tourism",),
    "Tourismus, Kultur und Freizeit": ("culture-tourism",),
    "Digitalisierung in Freizeit, Kultur und Tourismus": ("culture-tourism",),
    "Kulturraum sichtbar und buchbar": ("culture-tourism",),
    "Besucherlenkung": ("culture-tourism",),
    "digitale Erlebbarkeit der Region": ("culture-tourism",),
    "Tourismus, Kultur, Freizeit und Community": ("culture-tourism", "community"),
    "Teilhabe und Kultur": ("community", "culture-tourism"),
    "kulturelle und soziale Teilhabe": ("culture-tourism", "community"),
    # --- public safety
    "Sicherheit": ("public-safety",),
    "Sicherheit und Vertrauen": ("public-safety",),
    "Katastrophenschutz": ("public-safety",),
    "Katastrophenschutz & -vorsorge": ("public-safety",),
    # --- lighting and municipal infrastructure
    "Abfall": ("lighting-infrastructure",),
    "Optimierung des Winterdienstes": ("lighting-infrastructure",),
    # The measures under it watch bridges and road damage; Freiburg lists it beside "Verkehr".
    "Infrastruktur": ("lighting-infrastructure",),
    # --- digital infrastructure and sensors
    "digitale Infrastruktur": ("digital-infrastructure",),
    "Sensorik": ("digital-infrastructure",),
    "Sensorik & LoRaWan": ("digital-infrastructure",),
    # Mönchengladbach's "Grundlagenfeld" beside data sovereignty: the technical base of the smart city.
    "Technische Infrastruktur": ("digital-infrastructure",),
    # --- rural areas and public services
    "Versorgung": ("rural-development",),
    "regionale Versorgung": ("rural-development",),
    "resiliente Versorgungsstrukturen": ("rural-development",),
    "Nahversorgung": ("rural-development",),
    "Daseinsvorsorge (Nahversorgung)": ("rural-development",),
    "Smarte Daseinsvorsorge": ("rural-development",),
    "Versorgung mit guten Lebensmitteln": ("rural-development",),
    "Landwirtschaft": ("rural-development",),
    # Potsdam's field is inter-municipal cooperation with its surroundings; Rostock's measure under
    # "Kooperation" is an agreement with three other cities. The field covers interkommunale Zusammenarbeit.
    "Smart Region": ("rural-development",),
    "Kooperation": ("rural-development",),
    "Arbeiten und Leben im Umland": ("rural-development", "retail-economy"),
    "(Re-)Vitalisierung der Orte": ("rural-development", "urban-development"),
    "Stärkung der Ortskerne": ("rural-development", "urban-development"),
    # --- urban development and planning
    "Stadtentwicklung": ("urban-development",),
    "Städtebau": ("urban-development",),
    "Stadtplanung": ("urban-development",),
    "Raum und Infrastruktur": ("urban-development",),
    "Lebensraum": ("urban-development",),  # Hannover: the city as living space, beside its "Zuhause"
    "Digitale Stadtplanung": ("urban-development", "digital-twin"),
    "Planung & Modellierung": ("urban-development", "digital-twin"),
    # --- community and social inclusion
    "Zusammenleben": ("community",),
    "Gemeinschaft": ("community",),
    "Stärkung der Gemeinschaft": ("community",),
    "Vernetzung der Menschen": ("community",),
    "Gesellschaft": ("community",),
    "Soziales": ("community",),
    "Soziale Inklusion": ("community",),
    "soziale Widerstandsfähigkeit (Resilienz)": ("community",),
    "Vielfalt": ("community",),
    "Familie": ("community",),
    "Teilhabe": ("community",),
    "Teilhaben": ("community",),
    "Digitale Teilhabe": ("community",),
    "Lebensqualität & Teilhabe": ("community",),
    # Kempten's "Zukunftsaufgabe" with a makerspace for young people as a meeting place.
    "Aktive und soziale Bürgerstadt mit Tradition": ("community",),
}
# fmt: on

# Theme words of the sources that name no field of action by themselves (mottos, Leitziele, formats). They
# are loaded without a mapping and reported; listed here so that a review sees they were not forgotten.
UNMAPPED_ON_PURPOSE: frozenset[str] = frozenset(
    {
        "App", "Information", "Informieren", "Kommunikation", "Bewahren", "Bewegen", "Digital nah dran!",
        "Digital nach vorne!", "Digitale Gesellschaft", "Intelligentes Stadtmanagement", "Kempten für die Region",
        "Kollaboration", "Lebensqualität", "Management und Infrastruktur", "Open Innovation Lab", "Resilienz",
        "Smarte Kommune", "Smarte Stadt", "Smartes Leben", "Starke Verbindungen", "Trends, Forschung und Entwicklung",
        "Urbane Netzwerke", "Zukunftsfähige Infrastruktur", "gerecht", "grün", "innovativ", "lebenswert",
        "nachhaltig", "produktiv", "stark", "vernetzt",
    }
)  # fmt: skip


def source_key(word: str) -> str:
    """The lookup form of a source theme word: folded, without a trailing "!" ("Digital gut unterwegs!")."""
    return fold(word).strip().rstrip("!").strip()


SOURCE_TOPIC_MAP: dict[str, tuple[str, ...]] = {source_key(word): slugs for word, slugs in _SOURCE_TOPICS.items()}

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
        mapped = SOURCE_TOPIC_MAP.get(source_key(word))
        if mapped is None:
            unknown.append(word)
            continue
        for slug in mapped:
            slugs.setdefault(slug, None)
    return list(slugs), unknown
