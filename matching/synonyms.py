"""Everyday words of an enquiry and the catalogue words they stand for, grouped by field of action.

A clerk writes what the municipality needs ("Schlaglöcher melden", "Stellflächen frei"); a measure is named
after what was built ("Mängelmelder", "Parkraumerfassung"). Each entry is one group: every enquiry word
(left) is expanded, on the enquiry side only, to the catalogue words (right), which then go through the same
stemming and compound splitting as the catalogue. Words are lower case as an enquirer writes them; the
stemmer takes care of plural and inflection ("Laterne", "Laternen"). Keep the groups to near-synonyms: a
broad word here pulls unrelated measures up for every enquiry that uses it.
"""

from __future__ import annotations

GROUPS: dict[str, list[tuple[str, str]]] = {
    "mobility": [
        ("nahverkehr öpnv fahrgäste fahrgast linienverkehr", "öpnv rufbus shuttle on-demand"),
        ("bedarfsverkehr anrufsammeltaxi rufbus anrufbus ridepooling", "rufbus shuttle on-demand bedarfsorientiert"),
        ("fahrerlos selbstfahrend autonom", "autonom kleinbus teststrecke"),
        ("stellfläche stellflächen parkplatz parkplätze parkhaus suchverkehr", "parken parkplätze parkraum"),
        ("leihrad leihräder fahrradverleih radverleih ladesäule", "mobilstationen mobilitätsstationen radverleih"),
        ("radverkehr radfahrer fahrrad fahrräder", "rad radfahrende"),
        ("fahrplan fahrplandaten", "mobilitätsdaten öpnv mobilitätsplanung"),
        (
            "rollstuhl rollator gehbehindert stufen bordstein bordsteine",
            "barrierefrei mobilitätseingeschränkt barrieren",
        ),
        (
            "mitfahrgelegenheit mitfahrgelegenheiten fahrgemeinschaft fahrgemeinschaften mitnehmen mitfahrbank",
            "mitfahrbörse mitfahren",
        ),
        (
            "autoteilen dienstwagen dienstautos dienstfahrzeuge fuhrpark leihauto leihautos mietauto",
            "carsharing verwaltungsflotte e-autos",
        ),
        (
            "behindertenparkplatz behindertenparkplätze schwerbehindert schwerbehinderte behindertenausweis schwerbehindertenausweis",
            "behindertenparkplätze",
        ),
        ("busposition busortung ortung gps verspätung verspätungen", "live-standort position stadtbus"),
        ("verkehrszählung zählstelle zählstellen durchfahrten", "verkehrsdatenerfassung verkehrsdaten zählung"),
        ("ampel ampeln ampelschaltung rotphase", "ampel ampeln grüne-welle-assistent"),
        (
            "zebrastreifen fußgängerüberweg überweg querung querungshilfe warnlicht warnlichter blinklicht blinken",
            "zebrastreifen überweg fußgänger blinklicht",
        ),
        ("roboterbus robotaxi selbstfahrende", "autonom kleinbus"),
        (
            "umsteigen umsteigepunkt mobilitätspunkt e-bike e-bikes",
            "mobilstationen mobilitätsstationen mobilitätsdrehscheiben",
        ),
        ("belohnung belohnen bonus anreiz anreize punktesystem", "bonuspunkten belohnungssystem nudging"),
        (
            "schließfach schließfächer paketstation packstation paketkasten abholstation abholstationen zustellung kurier",
            "abholstationen paketboxen übergabepunkte logistik lieferverkehr",
        ),
        ("blind blinde sehbehindert sehbehinderte kinderwagen treppen", "barrierefrei barrieren eingeschränkter"),
        (
            "straßenschäden straßenzustand fahrbahn fahrbahnen asphalt risse",
            "straßenschäden erhaltungsmanagement straßen",
        ),
        ("bauwerk bauwerke tragwerk viadukt überführung", "brücken zustand wartung"),
        ("überfrieren überfriert streudienst streusalz", "glätte winterdienst streumittel frostgefahr"),
    ],
    "administration": [
        ("amtsblatt mitteilungsblatt nachrichten mitteilung mitteilungen", "nachrichten nachrichtenplattform anzeiger"),
        ("papier papierlos aktenablage akten", "e-akte akte"),
        ("terminal selbstbedienung foyer", "terminals bürgerterminals"),
        ("chatbot assistent", "ki-assistent chatbot"),
        ("müllkalender abfallkalender abfuhrtermine", "abfuhrkalender app"),
        ("handy smartphone handyapp", "app smartphone"),
        ("schlagloch schlaglöcher defekt defekte kaputt", "mängelmelder"),
        (
            "reservieren reservierung vermieten belegungsplan saal sporthalle turnhalle",
            "buchung räumen buchungsplattform ressourcen",
        ),
        (
            "vereinsvorstand vereinsvorstände vorstand vorstände mitgliederverwaltung papierkram bürokratie ehrenamtler",
            "vereinsaufgaben bürokratie ehrenamt ehrenamtliche engagement",
        ),
        ("wartezeit warteschlange terminvergabe", "terminbuchung termin"),
        ("müllablagerung müllablagerungen sperrmüll", "mängelmelder"),
        ("schaukasten aushang aushänge anschlagbrett litfaßsäule", "anschlagtafeln bildschirme bretter"),
    ],
    "participation": [
        ("vorschlag vorschläge abstimmen abstimmung mitreden mitbestimmen", "beteiligung beteiligungsplattform"),
        ("ideenwettbewerb wettbewerb einreichen", "ideenwettbewerb ideen"),
        ("ausgelost losverfahren zufällig", "bürgerrat bürgergutachten"),
        ("umfrage umfragen meinung mitmachen", "beteiligungsplattform umfragen beteiligung"),
        ("zwischennutzung zwischennutzungen", "fläche vergeben kurzfristig"),
    ],
    "urban-data-platform": [
        ("messwerte datensätze datenbestände", "daten datenplattform"),
        ("übersicht browser", "dashboard cockpit"),
        ("regeln datennutzung datenethik", "leitlinien governance datensouveränität"),
        ("sensornetz funknetz gateway gateways sendemast", "lorawan lorawan-netz funknetz"),
        ("glasfaser funkmast funkmasten leerrohre breitband", "netzplan glasfasernetze mobilfunk breitbandausbau"),
        ("hotspot hotspots internetzugang drahtlos", "wlan wlan-hotspots"),
    ],
    "digital-twin": [
        ("dreidimensional 3d-abbild 3d-modell stadtmodell simulieren simulation durchspielen", "3d zwilling"),
        ("bauvorhaben bauanträge bauantrag baugebiet", "bauvorhaben bauleitplanverfahren planung"),
    ],
    "energy": [
        ("heizung heizkosten stromkosten stromverbrauch energieverbrauch", "verbräuche energiemonitoring energie"),
        ("windrad windräder windkraft speicher erzeugung", "stromerzeugung kraftwerk"),
        ("dach dächer photovoltaik", "dachflächen photovoltaik solarpotenzialkarte"),
        ("sanieren sanierung dämmung", "sanierung wärmekataster"),
        ("verschwendet verschwendung energiesparen", "energiesparmöglichkeiten"),
        ("heizen wärmepumpe wärmepumpen fernwärme dämmen", "wärmekataster sanierung energetischen"),
        ("autark erdwärme geothermie", "energieautarken sektorkopplung geothermie"),
        ("klimafreundlich fußabdruck co2-fußabdruck", "nachhaltigem verhalten klima"),
        ("stromfresser energiedetektive", "energiesparmöglichkeiten"),
    ],
    "lighting-infrastructure": [
        ("lampe lampen laterne laternen straßenlaterne straßenlaternen", "beleuchtung leuchten licht"),
        ("sitzbank sitzbänke parkbank sitzgelegenheit", "bänke solarbänke"),
        ("aufladen handyladen", "laden solarbänke"),
        ("anzeige anzeigen bildschirm bildschirme stele stelen infotafel display", "bildschirme screens infostelen"),
        ("dunkel dunkelheit finster stockdunkel unbeleuchtet", "beleuchtung licht sicherheitsgefühl"),
    ],
    "climate-adaptation": [
        ("hitzeinseln heißesten überhitzung", "hitze hitzeinseln mikroklima"),
        ("niederschlag temperatur wetterdaten", "klimamessnetz messstationen wetterdaten"),
        ("blumenbeete beet beete patenschaft patenschaften", "beetpatenschaften stadtgrün"),
        (
            "linde linden ahorn jungbäume neupflanzungen vertrocknen vertrocknet trockenheit dürre wässern",
            "bäume bewässerung trockenstress bodenfeuchte",
        ),
        (
            "wetterstation wetterstationen regenmenge luftfeuchtigkeit",
            "wetterstation klimamessnetz messstationen wetterdaten",
        ),
        ("hitzewelle sommerhitze abkühlung schatten", "hitze cooling hitzemodell"),
        ("feinstaub abgase stickoxid luftverschmutzung", "luftqualität feinstaub"),
        ("lüften lüftung raumluft stickig co2-ampel", "raumklima-ampeln co2-werte"),
        ("gärtnern hochbeet hochbeete", "gemeinschaftsgarten quartiersgarten"),
        (
            "imker imkerei bienen biene bienenstock bienenvolk völker honig",
            "bienendashboard bienenstock bienenvölkern imkerverein",
        ),
        ("friedhof gräber grabstätten", "friedhöfen"),
    ],
    "water": [
        ("überflutung überschwemmung unwetter", "pegel hochwasser starkregen"),
        ("badesee badestelle gewässer see", "gewässerqualität wasserqualität badestellen"),
        ("regenwasser tanks tank zisterne", "zisternen regenwassermanagement"),
        (
            "wasserstand hochwasser übertreten überschwemmt vollgelaufen",
            "pegelstände wasserstände hochwasser pegelsensoren starkregen",
        ),
        ("algen blaualgen badewasser", "wasserqualität badestellen gewässerqualität"),
    ],
    "public-safety": [
        ("feuerwehrleute wehr brandbekämpfung alarm alarmfall", "feuerwehr einsatzmeldungen"),
        ("wasservorräte löschteich", "löschwasser löschwasserbehälter"),
        ("großbrand lage krisenstab thw katastrophe", "großschadenslagen katastrophenschutz gefahrenabwehr"),
        ("glatt glätte glatteis frost streuen", "glätte glatteis frost winterdienst"),
        ("blackout notstrom notruf netzausfall handynetz", "stromausfall notrufe notfallsystem"),
        ("pieper piepser funkmelder", "einsatzmeldungen firemon feuerwehr"),
        ("warnung warnungen unwetterwarnung unwetterwarnungen sirene sirenen", "warnmeldungen frühwarnsystem"),
    ],
    "housing": [
        ("wohnblock wohnanlage genossenschaft", "wohnkomplex wohnungen quartier"),
        ("pflegebedürftig pflegebedürftige selbstständig", "selbstständiges pflege wohnung"),
        ("altersgerecht seniorenwohnung sturz stürze", "altersgerechte wohnung selbstständiges"),
        ("mieter mietwohnung mietwohnungen waschküche", "wohnkomplex wohnungen"),
    ],
    "health-care": [
        ("ärzte arztpraxen pflegedienst pflegedienste vorsorge", "gesundheit pflege prävention"),
        (
            "hausarzt hausärzte landarzt ärztemangel telemedizin videosprechstunde",
            "gesundheit gesundheitsnetzwerk gesundheitsangeboten",
        ),
        ("demenz dement verwirrt weglaufen", "demenz bewegungsfreiheit"),
        ("diktieren mitschreiben", "spracherkennung"),
    ],
    "retail-economy": [
        ("einzelhändler einzelhandel geschäfte läden", "händler handel geschäfte"),
        ("lieferdienst lieferung liefern", "liefern logistik"),
        ("ladenflächen ladenlokale geschäftsaufgabe", "leerstand leerstandsmanagement"),
        ("gewerbeflächen baugrundstücke grundstücke", "grundstücke gewerbeflächen"),
        ("firmen ansiedlung ansiedeln", "standortmarketing"),
        (
            "hofladen hofläden bauernhof bauernhöfe direktvermarkter landwirte dorfladen",
            "lebensmittelversorgung nahversorgung erzeuger lebensmittel",
        ),
        (
            "passant passantinnen besucherzahlen kundenfrequenz laufkundschaft markttag markttage",
            "passantenfrequenzmessung passanten frequenzdaten passantenzählung",
        ),
        ("onlineshop webshop online-shop", "online bestellen"),
    ],
    "culture-tourism": [
        ("heimatmuseum sammlung", "museen sammlungen"),
        ("bühne theaterstück zuschauer", "theater publikum"),
        ("virtual-reality vr-brillen", "vr vr-brillen"),
        ("computerspiel videospiel spiel", "minecraft"),
        ("zeitreise damals früher", "zeitreise ortsgeschichte augmented-reality"),
        (
            "wanderweg wanderwege wanderpfad wanderpfade wanderer wandern spazierweg",
            "wanderwege premiumwanderwege traumpfade wegemanagement",
        ),
        ("touristen stadtführung rundgang", "sehenswürdigkeiten tourismus leitsystem"),
        ("konzert konzerte livestream übertragen übertragung streaming", "kulturveranstaltungen live übertragen"),
        ("pflegeheim pflegeheime altenheim altenheime seniorenheim", "seniorenheime wohnheime"),
    ],
    "education": [
        ("volkshochschule vhs", "kreisvolkshochschule volkshochschule"),
        ("medienbildung medienkompetenz", "bildungsangebote medienbildung"),
        ("schnitzeljagd schnitzeljagden quiz", "rallye"),
        ("mikrocontroller löten elektronik", "elektrotechnik programmieren"),
        ("basteln tüfteln tüftler bastler", "makerspace mitmachwerkstatt"),
        ("oma opa großeltern hochbetagte", "senioren seniorinnen ältere"),
        ("klassenzimmer schulklasse schulklassen unterricht", "schülerinnen schüler klassenzimmer"),
    ],
    "community": [
        ("senioren ältere rentner", "senioren seniorinnen ältere"),
        ("treffpunkt treffpunkte", "begegnungsort treffpunkt"),
        ("werkstatt 3d-drucker", "makerspace maker"),
        ("pendler coworking", "coworking"),
        ("startups gründer", "gründer start-ups"),
        ("homeoffice heimarbeit schreibtisch", "coworking coworking-arbeitsplätzen"),
        (
            "existenzgründung existenzgründer gründen jungunternehmer firmengründung",
            "gründer start-ups innovationszentrum",
        ),
        (
            "dorfgemeinschaftshaus gemeinschaftshaus dorfzentrum dorfmitte ortsmitte ortskern",
            "dorfgemeinschaftshäuser dorfzentren ortsmitten",
        ),
        ("ferien sommerferien ferienprogramm ferienbetreuung ferienspiele", "ferienangebote ferienportal"),
        ("nachbarschaftshilfe einkaufshilfe", "unterstützungsangebote vermittlungsplattform"),
    ],
    "waste": [
        ("tonne mülltrennung trennen getrennt", "mülltrennung bioabfall"),
        ("plastik fremdstoffe", "störstoffe fremdstofferkennung"),
        (
            "papierkorb papierkörbe mülleimer abfalleimer abfallkorb überquellen überfüllt leerung",
            "abfallbehälter füllstand füllstandssensoren mülleimer leerungsfahrten",
        ),
        (
            "zigarettenstummel kippen scherben vermüllung littering unrat",
            "müllsammelroboter glasscherben zigarettenkippen",
        ),
        ("biomüll biotonne kompost", "bioabfall biotonnen störstoffe"),
        ("recycling wertstoffe gelber", "mülltrennung trennung müllvermeidung"),
        ("wiederverwenden wiederverwendung upcycling reparieren", "materialkreislauf wiederverwendet material"),
    ],
}


def synonym_table() -> dict[str, tuple[str, ...]]:
    """Enquiry word -> catalogue words, over all groups."""
    table: dict[str, tuple[str, ...]] = {}
    for groups in GROUPS.values():
        for left, right in groups:
            targets = tuple(right.split())
            for word in left.split():
                table[word] = table.get(word, ()) + targets
    return table
