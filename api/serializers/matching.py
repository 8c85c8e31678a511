"""Proposals and introductions as the API serves them (SPEC section 5, matches)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import AsciiIntegerField
from cases.models import State
from matching.decisions import Effect
from matching.models import Introduction, Match


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeasureRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ExplanationSerializer(serializers.Serializer):
    signal = serializers.CharField()
    # the signal's name for the reader ("Inhalt der Anfrage"); proposals stored before it existed have none
    label = serializers.CharField(default="")
    weight = serializers.FloatField()
    value = serializers.FloatField()
    text = serializers.CharField()


class MatchSerializer(serializers.ModelSerializer):
    """``{"id", "rank", "score", "kind", "target": {"id", "name"}, "measures": [{"id", "title"}],
    "explanation": [{"signal", "label", "weight", "value", "text"}], "decision"}``; ``id`` addresses accept/reject."""

    target = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    explanation = ExplanationSerializer(many=True, read_only=True)

    class Meta:
        model = Match
        fields = ["id", "rank", "score", "kind", "target", "measures", "explanation", "decision", "decided_at"]

    @extend_schema_field(TargetSerializer)
    def get_target(self, match: Match) -> dict:
        target = match.target
        return {"id": target.pk, "name": target.name} if target is not None else {"id": None, "name": ""}

    @extend_schema_field(MeasureRefSerializer(many=True))
    def get_measures(self, match: Match) -> list[dict]:
        # prefetched (api.views.matching): no query per row
        return [{"id": m.pk, "title": m.title} for m in match.measures.all()]


class DecisionInputSerializer(serializers.Serializer):
    """The body of accept/reject: optional ``expected_state``, the case's state the client saw (409 when it
    moved on)."""

    expected_state = serializers.ChoiceField(choices=State.choices, required=False)


class EffectSerializer(serializers.Serializer):
    """What the decision did: ``assigned`` (the case went to the partner), ``introduction_started`` (the model
    project was asked by e-mail) or ``none`` (only the decision was stored); ``text`` says it in German."""

    kind = serializers.ChoiceField(choices=[(e.value, e.value) for e in Effect])
    text = serializers.CharField()
    enquiry_state = serializers.CharField()
    introduction = serializers.IntegerField(allow_null=True)


class MatchDecisionSerializer(MatchSerializer):
    """The proposal as the matches list shows it, plus ``effect``."""

    effect = serializers.SerializerMethodField()

    class Meta(MatchSerializer.Meta):
        fields = [*MatchSerializer.Meta.fields, "effect"]

    @extend_schema_field(EffectSerializer)
    def get_effect(self, match: Match) -> dict:
        outcome = self.context["decision"]
        return {
            "kind": outcome.effect.value,
            "text": outcome.text,
            "enquiry_state": outcome.enquiry.state,
            "introduction": outcome.introduction.pk if outcome.introduction is not None else None,
        }


class IntroductionSerializer(serializers.ModelSerializer):
    model_project = serializers.SerializerMethodField()

    class Meta:
        model = Introduction
        fields = [
            "id",
            "model_project",
            "match",
            "state",
            "created_at",
            "requested_at",
            "answered_at",
            "completed_at",
            "answer_note",
        ]

    @extend_schema_field(TargetSerializer)
    def get_model_project(self, introduction: Introduction) -> dict:
        return {"id": introduction.model_project_id, "name": introduction.model_project.name}


class IntroductionCreateSerializer(serializers.Serializer):
    match = AsciiIntegerField(min_value=1)
