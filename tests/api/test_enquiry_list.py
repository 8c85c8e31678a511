"""GET /api/v1/enquiries/: scope, filters, ordering, pages and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.intake import enquiry_submit
from tests import factories as f

pytestmark = pytest.mark.django_db


def ids(answer):
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


@pytest.fixture
def cases(make_case, other_partner):
    nrw = f.MunicipalityFactory(ags="05315000", name="Köln, Stadt", short_name="Köln", bundesland="NW")
    return {
        "new": make_case("new", subject="Neu"),
        "mine": make_case("in_progress", subject="Meins"),
        "theirs": make_case("assigned", subject="Fremd", for_partner=other_partner),
        "koeln": make_case("new", subject="Köln", muni=nrw),
    }


def test_filters_narrow_the_list(coordinator_client, cases, partner, topic):
    get = coordinator_client.get
    assert ids(get("/api/v1/enquiries/")) == {c.pk for c in cases.values()}
    assert ids(get("/api/v1/enquiries/?state=new")) == {cases["new"].pk, cases["koeln"].pk}
    assert ids(get("/api/v1/enquiries/?state=new,assigned")) == {cases["new"].pk, cases["koeln"].pk, cases["theirs"].pk}
    assert ids(get(f"/api/v1/enquiries/?partner={partner.pk}")) == {cases["mine"].pk}
    assert ids(get("/api/v1/enquiries/?municipality=05315000")) == {cases["koeln"].pk}
    assert ids(get("/api/v1/enquiries/?bundesland=NW")) == {cases["koeln"].pk}
    assert ids(get("/api/v1/enquiries/?bundesland=by")) == {cases["new"].pk, cases["mine"].pk, cases["theirs"].pk}
    assert len(ids(get(f"/api/v1/enquiries/?topic={topic.slug}"))) == 4
    today = timezone.localdate().isoformat()
    assert len(ids(get(f"/api/v1/enquiries/?created_after={today}&created_before={today}"))) == 4
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert ids(get(f"/api/v1/enquiries/?created_after={tomorrow}")) == set()


def test_partner_staff_list_only_their_partners_cases(partner_client, cases):
    assert ids(partner_client.get("/api/v1/enquiries/")) == {cases["mine"].pk}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("state=geloescht", "state"),
        ("partner=abc", "partner"),
        ("municipality=12", "municipality"),
        ("bundesland=XX", "bundesland"),
        ("created_after=gestern", "created_after"),
        ("created_before=2026-02-30", "created_before"),
        ("ordering=contact_email", "ordering"),
        ("topic=%3Cscript%3E", "topic"),
        # unknown but well-formed values are a typo too, not "no cases" (QA finding 3)
        ("topic=nope", "topic"),
        ("partner=999999", "partner"),
        ("municipality=99999999", "municipality"),
        ("municipality=99999", "municipality"),
    ],
)
def test_bad_filter_values_get_400_naming_the_parameter(coordinator_client, cases, query, parameter):
    answer = coordinator_client.get(f"/api/v1/enquiries/?{query}")
    assert answer.status_code == 400
    assert parameter in answer.json()


def test_ordering_and_pages(coordinator_client, cases):
    answer = coordinator_client.get("/api/v1/enquiries/?ordering=reference&page_size=2").json()
    assert answer["count"] == 4 and len(answer["results"]) == 2 and answer["next"]
    refs = [row["reference"] for row in answer["results"]]
    assert refs == sorted(refs)
    second = coordinator_client.get(answer["next"]).json()
    assert [row["reference"] for row in second["results"]] > refs
    assert coordinator_client.get("/api/v1/enquiries/?page=99").status_code == 404


@pytest.mark.parametrize("page_size", [5, 50])
def test_the_list_runs_a_fixed_number_of_queries(
    coordinator_client, coordinator, municipality, topic, partner, django_assert_num_queries, page_size
):
    from cases.services import enquiry_transition

    for n in range(60):
        e = enquiry_submit(
            municipality_ags=municipality.ags,
            contact_name="A",
            contact_email=f"a{n}@x.example",
            subject=f"Frage {n}",
            message="m",
            topic_slugs=[topic.slug],
            support_type="advice",
            consent=True,
        )
        if n % 3 == 0:
            e = enquiry_transition(enquiry=e, name="triage", by=coordinator)
            enquiry_transition(enquiry=e, name="assign", by=coordinator, payload={"partner": partner.pk})
    coordinator_client.get("/api/v1/enquiries/")  # warm the token and group caches alike for both sizes
    # token + user groups, count, the page (its topics' slugs in the same query: core.expressions.ValuesOf)
    with django_assert_num_queries(4):
        answer = coordinator_client.get(f"/api/v1/enquiries/?page_size={page_size}")
    assert len(answer.json()["results"]) == page_size


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_fast_rendering_of_a_case_equals_drfs_rendering_of_its_declared_fields(
    make_case, coordinator, language, django_assert_num_queries
):
    """GIVEN cases new, in progress (partner and assignee), resolved (an outcome) and closed, one asked about a
    catalogue measure, WHEN EnquirySerializer renders them (its own to_representation, built for speed) THEN each
    equals what DRF renders field by field from the declarations (the contract and the schema)."""
    from django.utils import translation
    from rest_framework import serializers

    from api.serializers.enquiries import EnquirySerializer
    from api.views.enquiries import enquiry_queryset
    from cases.models import Enquiry

    made = [make_case(state) for state in ("new", "in_progress", "resolved", "closed")]
    Enquiry.objects.filter(pk=made[1].pk).update(
        measure=f.MeasureFactory(), assigned_user=coordinator, escalated_at=timezone.now()
    )
    with translation.override(language):
        for enquiry in enquiry_queryset(Enquiry.objects.order_by("pk")):
            serializer = EnquirySerializer(enquiry)
            fast = serializer.data
            declared = serializers.Serializer.to_representation(serializer, enquiry)
            assert fast == declared
            assert list(fast) == list(declared)
    loaded = list(enquiry_queryset(Enquiry.objects.all()))
    with django_assert_num_queries(0):  # everything shown was loaded along (api.views.enquiries.SHOWN)
        shown = EnquirySerializer(loaded, many=True).data
    assert {row["state"] for row in shown} == {
        "new",
        "in_progress",
        "resolved",
        "closed",
    }


def test_the_topics_read_along_with_the_rows_are_each_cases_own(make_case):
    """GIVEN cases with three topics, one and none WHEN the list's query reads them (their slugs in the rows' own
    query, core.expressions.ValuesOf) THEN each case shows exactly its own topics, sorted, as its relation has them."""
    from api.serializers.enquiries import EnquirySerializer
    from api.views.enquiries import enquiry_queryset
    from cases.models import Enquiry

    three, one, none = make_case(), make_case(subject="Zweite Frage"), make_case(subject="Dritte Frage")
    three.topics.add(f.TopicFactory(slug="zukunft"), f.TopicFactory(slug="alltag"))
    none.topics.clear()
    read = {e.pk: e for e in enquiry_queryset(Enquiry.objects.all())}
    assert sorted(read[three.pk].topic_slugs) == sorted(t.slug for t in three.topics.all())
    assert len(read[three.pk].topic_slugs) == 3 and len(read[one.pk].topic_slugs) == 1
    assert read[none.pk].topic_slugs == []
    for enquiry in (three, one, none):
        shown = EnquirySerializer(read[enquiry.pk]).data["topics"]
        assert shown == sorted(t.slug for t in Enquiry.objects.get(pk=enquiry.pk).topics.all())
    assert EnquirySerializer(read[three.pk]).data["topics"][0] == "alltag"
