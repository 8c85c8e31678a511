"""Proposals and introductions as the API serves them (SPEC section 5, matches)."""

from __future__ import annotations

from rest_framework import serializers

from crm.models import Introduction, Match


class MatchSerializer(serializers.ModelSerializer):
    """``{"id", "rank", "score", "kind", "target": {"id", "name"}, "measures": [{"id", "title"}],
    "explanation": [{"signal", "weight", "value", "text"}], "decision"}``; ``id`` addresses accept/reject."""

    target = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "rank", "score", "kind", "target", "measures", "explanation", "decision", "decided_at"]

    def get_target(self, match: Match) -> dict:
        target = match.target
        return {"id": target.pk, "name": target.name} if target is not None else {"id": None, "name": ""}

    def get_measures(self, match: Match) -> list[dict]:
        # prefetched (api.views.matching): no query per row
        return [{"id": m.pk, "title": m.title} for m in match.measures.all()]


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

    def get_model_project(self, introduction: Introduction) -> dict:
        return {"id": introduction.model_project_id, "name": introduction.model_project.name}


class IntroductionCreateSerializer(serializers.Serializer):
    match = serializers.IntegerField(min_value=1)
