"""German normalisation: stems, umlauts, compounds and synonyms."""

from __future__ import annotations

from workflows.matching.text import Vocabulary, terms

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
    from workflows.matching.text import display_words, stem

    shown = display_words("Unsere Straßenlaternen und das Dorfshuttle", vocabulary=VOCAB)
    assert shown[stem("strassenlaternen")] == "Straßenlaternen"
    assert shown[stem("beleuchtung")] == "beleuchtung"
    assert shown[stem("shuttle")] == "shuttle"
