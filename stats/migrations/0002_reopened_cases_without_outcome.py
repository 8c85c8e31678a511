"""Rows written before issue 13 item 15 kept the outcome of a reopened case (its Outcome row stays as history):
clear it wherever the case has no current resolution, as stats.facts now computes the row."""

from django.db import migrations


def clear_outcomes_of_reopened_cases(apps, schema_editor):
    Enquiry = apps.get_model("cases", "Enquiry")  # noqa: N806
    unresolved = Enquiry.objects.filter(resolved_at__isnull=True).values("pk")
    for name in ("EnquiryStats", "EnquiryTopicStats"):
        rows = apps.get_model("stats", name).objects.filter(enquiry__in=unresolved).exclude(outcome="")
        rows.update(outcome="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_alter_notification_kind"),
        ("stats", "0001_initial"),
    ]

    operations = [migrations.RunPython(clear_outcomes_of_reopened_cases, migrations.RunPython.noop)]
