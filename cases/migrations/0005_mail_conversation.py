"""The e-mail conversation: each case's key for its plus-addressed Reply-To (filled for existing cases), the
contact address's delivery failure, and the notification of an incoming e-mail."""

from django.db import migrations, models

import cases.models.enquiry


def fill_mail_keys(apps, schema_editor):
    Enquiry = apps.get_model("cases", "Enquiry")
    batch = []
    for enquiry in Enquiry.objects.filter(mail_key__isnull=True).only("id").iterator(chunk_size=2000):
        enquiry.mail_key = cases.models.enquiry.new_mail_key()
        batch.append(enquiry)
        if len(batch) >= 2000:
            Enquiry.objects.bulk_update(batch, ["mail_key"])
            batch = []
    if batch:
        Enquiry.objects.bulk_update(batch, ["mail_key"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_workspace_queue_index")]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="mail_key",
            field=models.CharField(max_length=32, null=True, editable=False),
        ),
        migrations.RunPython(fill_mail_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="enquiry",
            name="mail_key",
            field=models.CharField(
                default=cases.models.enquiry.new_mail_key, editable=False, max_length=32, unique=True
            ),
        ),
        migrations.AddField(
            model_name="enquiry",
            name="contact_email_failed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="E-Mail-Adresse unzustellbar seit"),
        ),
        migrations.AddField(
            model_name="enquiry",
            name="contact_email_failure",
            field=models.CharField(blank=True, max_length=500, verbose_name="Grund der Unzustellbarkeit"),
        ),
    ]
