"""The demand radar's selector: which enquiries form a group, what a group says, and its key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import GuardFailed
from matching.models import Match
from matching.radar import _candidates, radar_filters_parse, radar_group, radar_groups
from matching.radar_docs import Doc
from tests import builders as b
from tests.radar_builders import radar_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return radar_data()


def test_two_similar_enquiries_form_a_group_that_the_unrelated_one_does_not_join(data):
    groups = radar_groups()

    assert len(groups) == 1
    group = groups[0]
    assert set(group.enquiry_ids) == {e.pk for e in data.parking}
    assert data.unrelated.pk not in group.enquiry_ids
    assert group.size == 2
    assert group.topics[0]["slug"] == "mobilitaet"
    assert group.key.startswith("mobilitaet--")
    assert group.title.startswith("Mobilität: ")


def test_a_group_names_its_shared_words_places_laender_and_dates(data):
    group = radar_groups()[0]

    assert any("Sensor" in word or "Parkpl" in word for word in group.terms)
    assert {m["name"] for m in group.municipalities} == {"München, Landeshauptstadt", "Köln, Stadt"}
    assert group.laender == {"BY": 1, "NW": 1}
    assert group.first_at == data.parking[0].created_at
    assert group.last_at == data.parking[1].created_at


def test_every_enquiry_of_a_new_group_counts_as_open(data):
    assert radar_groups()[0].open_count == 2


def test_a_closed_enquiry_stays_in_its_group_but_no_longer_counts_as_open(data, coordinator, partner, partner_user):
    b.enquiry_brought_to(data.parking[0], "closed", coordinator=coordinator, staff=partner_user, partner=partner)

    group = radar_groups()[0]

    assert group.size == 2
    assert group.open_count == 1


def test_the_best_fitting_project_comes_with_reasons_in_german(data):
    project = radar_groups()[0].projects[0]

    assert project.id == data.project.pk
    assert project.name == "Parkstadt"
    assert project.reasons
    assert any("Sensoren für Parkplätze" in reason for reason in project.reasons)


def test_a_project_the_engine_proposed_for_the_groups_enquiries_says_so(data):
    for enquiry in data.parking:
        Match.objects.create(
            enquiry=enquiry,
            kind=Match.Kind.MODEL_PROJECT,
            model_project=data.project,
            score=0.8,
            rank=1,
            computed_at=timezone.now(),
        )

    project = radar_groups()[0].projects[0]

    assert project.proposed == 2
    assert "Bereits für 2 von 2 Anfragen der Gruppe vorgeschlagen." in project.reasons


def test_the_key_gives_the_same_group_back(data):
    group = radar_groups()[0]

    again = radar_group(key=group.key)

    assert again is not None
    assert again.key == group.key
    assert again.enquiry_ids == group.enquiry_ids
    assert again.title == group.title


@pytest.mark.parametrize("key", ["", "mobilitaet", "unbekannt--sensor", "mobilitaet--gibtsnicht", "a--b c", "x" * 300])
def test_a_key_that_names_no_group_gives_none(data, key):
    assert radar_group(key=key) is None


def test_enquiries_outside_the_window_are_left_out(data):
    old = timezone.localdate() - timedelta(days=400)

    assert radar_groups(since=old, until=old + timedelta(days=30)) == []
    assert radar_groups(since=timezone.localdate() - timedelta(days=10)) == []  # only one parking enquiry left


def test_the_land_and_the_field_of_action_narrow_the_enquiries(data):
    assert radar_groups(bundesland="NW") == []
    assert radar_groups(topic="mobilitaet")[0].size == 2
    assert radar_groups(topic="unbekannt") == []


def test_a_larger_minimum_size_hides_the_pair(data):
    assert radar_groups(min_size=3) == []


def test_an_enquiry_closed_as_spam_is_no_demand(data, coordinator):
    b.enquiry_moved(data.parking[1], "close", by=coordinator, reason="spam")

    assert radar_groups() == []


def test_bad_filters_name_their_field(data):
    for params, field in [
        ({"from": "gestern"}, "from"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "from"),
        ({"topic": "gibtsnicht"}, "topic"),
        ({"bundesland": "XX"}, "bundesland"),
        ({"min_size": "1"}, "min_size"),
        ({"min_size": "zwei"}, "min_size"),
    ]:
        with pytest.raises(GuardFailed) as caught:
            radar_filters_parse(params=params)
        assert caught.value.field == field


def _doc(pk: int, topic: int, *terms: str) -> Doc:
    return Doc(id=pk, municipality_id=1, state="new", created=0.0, topic_ids=frozenset({topic}), terms=frozenset(terms))


def test_boilerplate_that_every_field_of_action_shares_forms_no_group():
    """GIVEN 60 enquiries in two fields of action, all with the same salutation, a third of each with the same
    sentence about funding, and five in the first on parking sensors
    WHEN the candidates are grown
    THEN only the parking sensors form a group: the salutation is generic, the funding sentence no more common in
    either field of action than overall."""
    docs = []
    for pk in range(60):
        topic = 1 if pk < 30 else 2
        terms = ["gruss"] + (["fordermittel", "beantragt"] if pk % 3 == 0 else [])
        terms += ["parkplatz", "sensor"] if pk in (1, 2, 4, 5, 7) else []
        docs.append(_doc(pk, topic, *terms))

    found = _candidates(docs, topic_id=None, min_size=2, limit=30)

    assert [(c.topic_id, c.terms, sorted(c.members)) for c in found] == [(1, ("parkplatz", "sensor"), [1, 2, 4, 5, 7])]


def test_generic_words_and_the_field_of_actions_own_name_make_no_group(db):
    """GIVEN two energy enquiries that share only "Energie" (the field's own name) and "machen" (a word any
    enquiry may use) WHEN the radar groups THEN they form no group."""
    from catalogue.models import Topic
    from matching.radar import radar_groups
    from tests import builders as b
    from tests import factories as f

    energy = Topic.objects.filter(slug="energie").first() or f.TopicFactory(
        slug="energie", name_de="Energie", name_en="Energy"
    )
    for n, subject in enumerate(("Energie sparen machen", "Mehr Energie machen im Rathaus")):
        b.enquiry_submitted(
            municipality=f.MunicipalityFactory(),
            topics=[energy.slug],
            contact_email=f"e{n}@gemeinde.example",
            subject=subject,
            message="Wie kann man das machen mit Energie?",
        )
    assert [g.key for g in radar_groups(projects=False)] == []
