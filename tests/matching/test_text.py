"""German normalisation: stems, umlauts, compounds and synonyms."""

from __future__ import annotations

from matching.text import Vocabulary, terms

VOCAB = Vocabulary(["shuttle", "energiemonitoring", "monitoring"])


def test_umlauts_written_out_or_not_give_the_same_stems():
    assert terms("Bürgerbeteiligung Straße") == terms("Buergerbeteiligung STRASSE")


def test_a_compound_is_split_against_the_vocabulary():
    assert {"dorf", "shuttl"} <= set(terms("Dorfshuttle", vocabulary=VOCAB))
    assert {"energi", "monitoring"} <= set(terms("Energiemonitoring", vocabulary=VOCAB))
    assert {"verkehr", "planung"} <= set(terms("Verkehrsplanung", vocabulary=VOCAB))


def test_a_hyphenated_word_is_kept_whole_and_split():
    assert {"rufbusapp", "rufbus", "app", "ruf", "bus"} <= set(terms("Rufbus-App", vocabulary=VOCAB))


def test_synonyms_of_a_topic_are_added_for_enquiries_only():
    assert "shuttl" in terms("Wir wollen einen Rufbus", synonyms=True)
    assert "shuttl" not in terms("Wir wollen einen Rufbus")


def test_stopwords_do_not_count():
    assert terms("Wir möchten gerne von Ihnen lernen") == []


def test_explanations_quote_the_enquirers_words_and_the_synonyms_they_stand_for():
    from matching.text import display_words, stem

    shown = display_words("Unsere Straßenlaternen und das Dorfshuttle", vocabulary=VOCAB)
    assert shown[stem("strassenlaternen")] == "Straßenlaternen"
    assert shown[stem("beleuchtung")] == "beleuchtung"
    assert shown[stem("shuttle")] == "shuttle"


def test_an_unknown_word_matches_the_catalogue_compounds_it_begins_or_ends():
    from matching.text import stem, words

    vocab = Vocabulary(words("Imkerverein Bienenvölkern Schule"))
    assert vocab.related("imker") == (stem("imkerverein"),)
    assert vocab.related("voelker") == (stem("bienenvoelkern"),)
    # a word the catalogue knows is matched as it is, not expanded
    assert vocab.related("schule") == ()


def test_an_affix_shared_by_many_catalogue_words_is_not_expanded():
    from matching.text import MAX_AFFIX_MATCHES, words

    vocab = Vocabulary(words(" ".join(f"Datenart{c}" for c in "abcdefgh"[: MAX_AFFIX_MATCHES + 1])))
    assert vocab.related("datenar") == ()


def test_words_the_enquirer_wrote_weigh_more_than_the_synonyms_and_affixes_standing_for_them():
    from matching.text import AFFIX_WEIGHT, SYNONYM_WEIGHT, query_terms, stem, words

    vocab = Vocabulary(words("Imkerverein Beleuchtung"))
    weights = query_terms("Unsere Laternen und die Imker", vocabulary=vocab)
    assert weights[stem("laternen")] == 1.0
    assert weights[stem("beleuchtung")] == SYNONYM_WEIGHT
    assert weights[stem("imkerverein")] == AFFIX_WEIGHT + SYNONYM_WEIGHT


def test_everyday_words_stand_for_what_the_catalogue_calls_the_thing():
    from matching.text import query_terms, stem

    weights = query_terms("Volle Papierkörbe")
    assert {stem("füllstandssensoren"), stem("abfallbehälter")} <= set(weights)
