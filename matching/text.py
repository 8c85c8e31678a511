"""German text for matching: words -> folded stems, compounds split against a vocabulary, topic synonyms.

Both sides (the catalogue when the index is built, the enquiry when it is scored) go through ``terms``, so
"Dorfshuttle", "Dorf-Shuttle" and "Shuttle im Dorf" share the stems "dorf" and "shuttl", and "Bürger",
"Buerger" and "BÜRGER" share "burg". The Snowball stemmer already writes umlauts out and turns ß into ss.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

from core.text import fold
from matching.synonyms import synonym_table

_WORD = re.compile(r"[^\W_]+(?:[-@][^\W_]+)*", re.UNICODE)
_stemmer = snowballstemmer.stemmer("german")

# Parts shorter than this are not split off a compound ("ei" in "Polizei" is not a word of its own).
MIN_PART = 3
# Linking elements (Fugen) between compound parts: "Verkehr-s-planung", "Sonne-n-energie".
_FUGEN = ("s", "es", "n", "en", "e")
# An enquiry word the catalogue does not use is matched to the catalogue words it begins ("Imker" ->
# "Imkerverein") or ends ("Völker" -> "Bienenvölkern"): the splitter only cuts a compound at words the catalogue
# also uses on their own, so these compounds stay whole. Shorter beginnings and endings are too ambiguous.
MIN_PREFIX = 5
MIN_SUFFIX = 4
# A beginning or ending shared by more catalogue words than this says nothing specific ("daten" ...).
MAX_AFFIX_MATCHES = 4
# Query weight of a stem the enquirer did not write but a synonym or an affix match stands for, against 1 for
# each word written: a guess should not outweigh what the enquiry says.
SYNONYM_WEIGHT = 0.5
AFFIX_WEIGHT = 0.5

# Words too common in enquiries and catalogue texts to say anything about fit.


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


STOPWORDS = _wordlist(
    """
    aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bereits bis bitte
    da damit dann das dass dem den denen der des dessen die dies diese diesem diesen dieser dieses doch dort du
    durch ein eine einem einen einer eines einige er es etwa etwas euch euer eure für gegen gibt gern gerne habe
    haben hat hatte hätte hier ich ihr ihre ihrem ihren ihrer im in ins ist ja jede jeder jedes kann können könnt
    könnte konnten man mehr mit möchte möchten müssen nach nicht noch nur ob oder ohne sehr sich sie sind so
    sollen soll sowie über um und uns unser unsere unserem unseren unserer unter viel vom von vor war waren was
    weil welche welchen wenn wer wie wir wird wo wollen würde würden zu zum zur zwischen sein seine seit selbst
    stadt städte gemeinde gemeinden kommune kommunen landkreis kreis modellprojekt modellprojekte smart city cities
    projekt projekte frage fragen anfrage erfahrung erfahrungen interesse informationen info infos gut guten
    neue neuen neu thema themen gerade aktuell derzeit planen plant geplant überlegen suchen suche hilfe tipps
    wissen lernen einführen einführung umsetzen umsetzung ähnlich ähnliche ähnlichen jemand jemanden ansprechpartner
    kontakt austausch staffel wettbewerbskategorie quelle laut beteiligte beteiligten gemeindeverzeichnis hallo
    liebe lieber grüße freundlichen dank vielen herzlichen bürgermeister bürgermeisterin verwaltung ihnen
    bzw usw ggf evtl einen einem dabei dazu darüber dafür davon hierzu hierbei wäre wären gibt geben sollte könnten
    immer schon wurde wurden worden werden mal etwa möglich möglichst bekommen brauchen benötigen
    """
)

# Domain words a compound is split against even when the catalogue does not use them on their own.
BASE_VOCABULARY = _wordlist(
    """
    dorf stadt land bus ruf app auto rad fahr weg bahn verkehr mobil shuttle sharing park platz lade säule strom
    energie wärme licht leuchte lampe laterne solar sonne bank bänke monitoring management plattform portal daten
    hub cockpit dashboard zentrum digital bürger service amt rat haus schule kita sport feuer wehr einsatz alarm
    melder sensor netz funk wasser pegel baum bäume grün klima hitze luft lärm müll abfall tonne wohnen wohnung
    quartier handel markt laden logistik paket lieferung kultur museum tourismus gast gäste zwilling modell karte
    check online termin chat bot beteiligung idee ideen lab labor werkstatt raum ort orte dritter screen screens
    display anzeige info kiosk klinik klinikum pflege arzt gesundheit senioren jugend kinder familie sicherheit
    kamera video überwachung beleuchtung straße straßen weg wege plan planung steuerung strategie open source
    smart city app apps cloud dienst dienste system systeme tool assistent verwaltung medien bildung lern lernen
    """
)

# A small synonym list per field of action: an enquiry word (folded) and the catalogue words it stands for.
# Enquirers describe what they want ("Rufbus", "Straßenlaternen"); measures are named what was built
# ("Dorfshuttle", "Lichtmanagement").
SYNONYMS: dict[str, tuple[str, ...]] = {
    # mobility
    "rufbus": ("shuttle", "on-demand", "mobilität"),
    "anrufbus": ("shuttle", "on-demand", "mobilität"),
    "ridepooling": ("shuttle", "on-demand", "mobilität"),
    "ondemand": ("shuttle", "on-demand"),
    "kleinbus": ("shuttle", "mobilität"),
    "bürgerbus": ("shuttle", "mobilität"),
    "fahrdienst": ("shuttle", "mobilität"),
    "nahverkehr": ("mobilität", "shuttle"),
    "öpnv": ("mobilität", "shuttle"),
    "lieferdienst": ("logistik",),
    "lieferung": ("logistik",),
    "pakete": ("logistik",),
    "paketstation": ("logistik",),
    # energy
    "energieverbrauch": ("energiemonitoring",),
    "stromverbrauch": ("energiemonitoring",),
    "verbrauchsdaten": ("energiemonitoring",),
    "zähler": ("energiemonitoring",),
    "verbrauch": ("monitoring",),
    # urban data platform
    "datenplattform": ("hub", "plattform", "daten", "cockpit"),
    "dateninfrastruktur": ("hub", "plattform", "daten"),
    "opendata": ("hub", "daten", "plattform"),
    "datenportal": ("hub", "daten", "plattform"),
    "dashboard": ("cockpit",),
    "lagebild": ("cockpit",),
    "kennzahlen": ("cockpit", "daten"),
    "echtzeitdaten": ("cockpit", "daten", "hub"),
    # digital twin
    "stadtmodell": ("zwilling",),
    "3d-modell": ("zwilling",),
    "barrieren": ("faircare",),
    "barrierefreiheit": ("faircare", "barrieren"),
    "rollstuhl": ("faircare", "barrieren"),
    # lighting / infrastructure
    "straßenlaterne": ("beleuchtung", "licht", "leuchte"),
    "straßenlaternen": ("beleuchtung", "licht", "leuchte"),
    "laterne": ("beleuchtung", "licht", "leuchte"),
    "laternen": ("beleuchtung", "licht", "leuchte"),
    "straßenbeleuchtung": ("lichtmanagement", "beleuchtung", "licht"),
    "bewegungsmelder": ("mitlaufend", "licht"),
    "sitzbank": ("bank", "bänke"),
    "sitzbänke": ("bank", "bänke"),
    "parkbank": ("bank", "bänke"),
    "ladestation": ("solarbänke", "solar"),
    "handy": ("smartphone",),
    "infotafel": ("screens", "display"),
    "tafel": ("screens",),
    "anzeige": ("screens",),
    "sitzgelegenheit": ("bank", "bänke"),
    "sonnenenergie": ("solar",),
    "photovoltaik": ("solar",),
    "aufladen": ("solar", "laden"),
    "bildschirm": ("screens",),
    "bildschirme": ("screens",),
    "stele": ("screens",),
    "stelen": ("screens",),
    "anzeigetafel": ("screens",),
    # public safety
    "feuerwehr": ("firemon", "einsatz"),
    "einsatzkräfte": ("firemon", "feuerwehr"),
    "alarmierung": ("firemon", "feuerwehr"),
    "kameras": ("überwachung", "ki"),
    "videoanalyse": ("überwachung", "ki"),
    "kriminalität": ("überwachung",),
    # climate / trees
    "bäume": ("trees", "baum"),
    "baum": ("trees",),
    "stadtbäume": ("trees",),
    "bodenfeuchte": ("trees", "sensoren"),
    "bewässerung": ("trees",),
    # administration / apps
    "bürgerapp": ("app",),
    "stadtapp": ("app",),
    "smartphone": ("app",),
    "handyapp": ("app",),
    # education / community
    "digitalkompetenz": ("digitalzentrum",),
    "kurs": ("digitalzentrum", "bildung"),
    "internet": ("digitalzentrum",),
    "computer": ("digitalzentrum",),
    "labor": ("lab",),
    "werkstatt": ("lab",),
    "treffpunkt": ("dritter", "ort", "digitalzentrum"),
    "begegnungsort": ("dritter", "ort"),
    "begegnung": ("dritter", "ort"),
    # health
    "krankenhaus": ("klinikum",),
    "patienten": ("klinikum", "check-in"),
    "anmeldung": ("check-in",),
    "wartezeit": ("check-in",),
    # housing
    "pflegebedürftige": ("@home", "wohnen"),
    "assistenzsysteme": ("@home", "wohnen"),
    "zuhause": ("@home", "wohnen"),
}


_SYNONYMS_BY_STEM: dict[str, tuple[str, ...]] = {}


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.casefold().replace("ẞ", "ss"))


def _synonyms_by_stem() -> dict[str, tuple[str, ...]]:
    # keyed by stem so that "Infotafeln" finds the entry of "Infotafel"
    if not _SYNONYMS_BY_STEM:
        table = dict(SYNONYMS)
        for key, value in synonym_table().items():
            table[key] = table.get(key, ()) + value
        for key, value in table.items():
            # the key as words() writes it: "3d-modell" -> "3dmodell"
            written = stem(words(key)[0]) if words(key) else stem(fold(key))
            # a catalogue word several entries name counts once
            _SYNONYMS_BY_STEM[written] = tuple(dict.fromkeys(_SYNONYMS_BY_STEM.get(written, ()) + value))
    return _SYNONYMS_BY_STEM


def words(text: str) -> list[str]:
    """Folded words of a text; a hyphenated or @-joined word is kept whole and also split ("Rufbus-App")."""
    out: list[str] = []
    for match in _WORD.finditer(text or ""):
        token = match.group(0).casefold()
        pieces = re.split(r"[-@]", token)
        if len(pieces) > 1:
            out.append(fold(token.replace("-", "").replace("@", "")))
            out.extend(fold(p) for p in pieces if p)
        else:
            out.append(fold(token))
    return [w for w in out if w and w not in STOPWORDS and not w.isdigit()]


class Vocabulary:
    """The words compounds are split against: the catalogue's own words plus BASE_VOCABULARY."""

    def __init__(self, known: Iterable[str]) -> None:
        self.words = set(BASE_VOCABULARY)
        for w in known:
            if len(w) >= MIN_PART and w not in STOPWORDS:
                self.words.add(w)
        self.stems = {stem(w) for w in self.words}
        self._cache: dict[str, tuple[str, ...]] = {}
        self._prefixes: dict[str, set[str]] | None = None
        self._suffixes: dict[str, set[str]] = {}

    def _affixes_build(self) -> None:
        self._prefixes = {}
        for w in self.words:
            for cut in range(MIN_PREFIX, len(w)):
                self._prefixes.setdefault(w[:cut], set()).add(stem(w))
        for s in self.stems:
            for cut in range(MIN_SUFFIX, len(s)):
                self._suffixes.setdefault(s[-cut:], set()).add(s)

    def related(self, word: str) -> tuple[str, ...]:
        """Stems of catalogue words that begin with a word the catalogue does not know, or end with its stem
        ("imker" -> "imkerverein"; "voelker" -> "bienenvolk"); () for a known word or too many matches."""
        s = stem(word)
        if word in self.words or s in self.stems:
            return ()
        if self._prefixes is None:
            self._affixes_build()
        found = set(self._prefixes.get(word, ())) if self._prefixes else set()
        if len(s) >= MIN_SUFFIX:
            found |= self._suffixes.get(s, set())
        if not found or len(found) > MAX_AFFIX_MATCHES:
            return ()
        return tuple(sorted(found))

    def _known(self, part: str) -> bool:
        return part in self.words or part in self.stems or stem(part) in self.stems

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound ("dorfshuttle" -> ("dorf", "shuttle")), or () when it is not one."""
        cached = self._cache.get(word)
        if cached is None:
            cached = self._split(word, depth=0) or ()
            if len(cached) < 2:
                cached = ()
            self._cache[word] = cached
        return cached

    def _split(self, word: str, *, depth: int) -> tuple[str, ...] | None:
        if depth and self._known(word):
            return (word,)
        if depth > 3 or len(word) < 2 * MIN_PART:
            return None
        # longest head first: "energiemonitoring" -> "energie" + "monitoring", not "energ" + ...
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if not self._known(head):
                continue
            rest = self._split(tail, depth=depth + 1)
            if rest is None:
                for fuge in _FUGEN:
                    if tail.startswith(fuge) and len(tail) - len(fuge) >= MIN_PART:
                        rest = self._split(tail[len(fuge) :], depth=depth + 1)
                        if rest is not None:
                            break
            if rest is not None:
                return (head, *rest)
        return None


def terms(text: str, *, vocabulary: Vocabulary | None = None, synonyms: bool = False) -> list[str]:
    """Stems of a text: each word, the parts of each compound, and (for enquiries) the synonyms' stems."""
    out: list[str] = []
    table = _synonyms_by_stem() if synonyms else {}
    for word in words(text):
        stems = [stem(word)]
        if vocabulary is not None and len(word) >= 2 * MIN_PART:
            stems.extend(stem(part) for part in vocabulary.split(word))
        out.extend(stems)
        for s in stems if synonyms else ():
            for synonym in table.get(s, ()):
                out.extend(stem(w) for w in words(synonym))
    return [t for t in out if len(t) >= 2]


def query_terms(text: str, *, vocabulary: Vocabulary | None = None) -> dict[str, float]:
    """An enquiry's stems with their query weight: the number of times it says one (its words and compound
    parts), plus SYNONYM_WEIGHT for each synonym and AFFIX_WEIGHT for each affix match standing for one."""
    own = Counter(terms(text, vocabulary=vocabulary))
    weights = {t: float(n) for t, n in own.items()}
    table = _synonyms_by_stem()
    for s, n in own.items():
        for synonym in table.get(s, ()):
            for w in words(synonym):
                t = stem(w)
                if len(t) >= 2:
                    weights[t] = weights.get(t, 0.0) + SYNONYM_WEIGHT * n
    if vocabulary is not None:
        for word in words(text):
            for t in vocabulary.related(word):
                weights[t] = weights.get(t, 0.0) + AFFIX_WEIGHT
    return weights


def display_words(text: str, *, vocabulary: Vocabulary | None = None) -> dict[str, str]:
    """Stem -> how to show it: the enquirer's own spelling ("Straßenlaternen"), a compound part, or the
    synonym it was expanded to ("Beleuchtung")."""
    shown: dict[str, str] = {}
    table = _synonyms_by_stem()
    for match in _WORD.finditer(text or ""):
        original = match.group(0)
        pieces = [original, *re.split(r"[-@]", original)] if re.search(r"[-@]", original) else [original]
        for piece in pieces:
            folded = fold(piece.casefold().replace("-", "").replace("@", ""))
            if not folded or folded in STOPWORDS or folded.isdigit():
                continue
            stems = [stem(folded)]
            shown.setdefault(stems[0], piece)
            if vocabulary is not None and len(folded) >= 2 * MIN_PART:
                for part in vocabulary.split(folded):
                    stems.append(stem(part))
                    shown.setdefault(stem(part), part)
            for s in stems:
                for synonym in table.get(s, ()):
                    for word in words(synonym):
                        shown.setdefault(stem(word), synonym)
            if vocabulary is not None:
                # an affix match is shown as the enquirer's word ("Imker" for "Imkerverein")
                for s in vocabulary.related(folded):
                    shown.setdefault(s, piece)
    return shown
