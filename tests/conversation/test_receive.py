"""inbound_receive end to end with the real services: threading, filing, attachments, loops, bad input."""

from __future__ import annotations

import logging

import pytest
from django.core import mail as django_mail

from cases.models import Activity, Enquiry, Notification, State
from conversation.models import InboundEmail, mail_storage
from conversation.receiving import InboundRefused, inbound_receive
from outbox.models import OutboxMessage
from tests.conversation.conftest import CONTACT, MAILS, outgoing_message_id, sample

pytestmark = pytest.mark.django_db


def receive(raw: bytes):
    return inbound_receive(raw, source="pipe")


def test_a_reply_threaded_by_key_takes_receive_reply_without_quotes_and_keeps_the_original(case):
    """GIVEN a case awaiting the municipality's reply WHEN its contact answers with Thunderbird to the
    plus-address THEN the case is in progress again, the timeline shows the answer without quote and signature,
    the full text and the original are kept, the PNG is stored and the zip is named as refused."""
    enquiry = case("awaiting_reply")
    raw = sample("thunderbird_de.eml", enquiry=enquiry, msgid="<unknown@elsewhere.example>")

    received = receive(raw)

    email = received.email
    assert received.created is True
    enquiry.refresh_from_db()
    assert enquiry.state == State.IN_PROGRESS
    assert (email.status, email.kind, email.matched_by) == ("filed", "reply", "key")
    assert email.enquiry == enquiry
    assert email.activity.transition == "receive_reply"
    assert "3 Buslinien" in email.activity.text and "schrieb Transferstelle" not in email.activity.text
    assert "Stadtverwaltung Musterstadt" not in email.text
    assert "> wie viele Einwohner hat Ihre Gemeinde?" in email.full_text
    with email.raw.open("rb") as original:
        assert original.read() == raw
    assert email.size == len(raw)
    (attachment,) = email.attachments.all()
    assert (attachment.name, attachment.content_type, attachment.size) == ("Liniennetz.png", "image/png", 69)
    with mail_storage().open(attachment.file.name, "rb") as stored:
        assert stored.read().startswith(b"\x89PNG")
    assert "Fahrplaene.zip nicht gespeichert: Dateityp nicht erlaubt" in email.problems


def test_a_reply_threaded_by_in_reply_to_finds_the_case_of_our_outgoing_mail(case):
    enquiry = case("awaiting_reply")
    msgid = outgoing_message_id(enquiry)
    raw = sample("gmail_en.eml", enquiry=enquiry, msgid=msgid).replace(enquiry.reference.encode(), b"KTS-2000-1")

    email = receive(raw).email

    assert (email.enquiry, email.matched_by, email.kind) == (enquiry, "header", "reply")
    enquiry.refresh_from_db()
    assert enquiry.state == State.IN_PROGRESS


def test_a_reply_to_an_earlier_inbound_mail_of_the_case_is_threaded_by_references(case):
    enquiry = case("in_progress")
    first = receive(sample("outlook_de.eml", enquiry=enquiry)).email
    answer = (
        b"From: " + CONTACT.encode() + b"\r\nTo: transferstelle@kts.invalid\r\nSubject: Nachtrag\r\n"
        b"Message-ID: <nachtrag@gemeinde.example>\r\nReferences: <x@y.example> <" + first.message_id.encode() + b">\r\n"
        b"\r\nNoch ein Nachtrag.\r\n"
    )
    email = receive(answer).email
    assert (email.enquiry, email.matched_by) == (enquiry, "header")


def test_a_reply_threaded_by_the_subject_on_a_triaged_case_moves_nothing_and_is_public(case):
    enquiry = case("triaged")
    email = receive(sample("apple_de.eml", enquiry=enquiry)).email

    enquiry.refresh_from_db()
    assert enquiry.state == State.TRIAGED
    assert (email.matched_by, email.kind, email.status) == ("subject", "reply", "filed")
    assert email.activity.kind == Activity.Kind.EMAIL_IN and email.activity.public is True
    assert "reiche ich nach" in email.activity.text and "Am 30.11.2026" not in email.activity.text


def test_a_stranger_writing_about_a_case_is_a_third_party_and_moves_nothing(case):
    enquiry = case("awaiting_reply")
    raw = sample("outlook_de.eml", enquiry=enquiry, contact="someone@elsewhere.example")

    email = receive(raw).email

    enquiry.refresh_from_db()
    assert enquiry.state == State.AWAITING_REPLY
    assert (email.kind, email.enquiry) == ("third_party", enquiry)
    assert email.activity.public is False


def test_a_forged_subject_reference_from_a_stranger_moves_nothing(case):
    enquiry = case("awaiting_reply")
    raw = (
        b"From: Erika Muster <erika@gemeinde-example.evil>\r\nTo: transferstelle@kts.invalid\r\n"
        b"Subject: Re: [" + enquiry.reference.encode() + b"] Antwort\r\nMessage-ID: <forged@evil.example>\r\n"
        b"\r\nWir ziehen die Anfrage zurueck.\r\n"
    )
    email = receive(raw).email
    enquiry.refresh_from_db()
    assert enquiry.state == State.AWAITING_REPLY
    assert (email.kind, email.matched_by, email.activity.public) == ("third_party", "subject", False)


def test_a_stray_mail_waits_unmatched_for_a_coordinator(case):
    case("awaiting_reply")
    raw = sample("no_from.eml").replace(b"Ohne Absender", b"Frage zu Smart City")
    email = receive(raw).email
    assert (email.status, email.kind, email.enquiry, email.matched_by) == ("unmatched", "new", None, "")


def test_an_unknown_key_falls_through_and_an_anonymised_case_takes_no_mail(case):
    enquiry = case("awaiting_reply")
    raw = sample("outlook_de.eml", enquiry=enquiry).replace(enquiry.mail_key.encode(), b"zzzzzzzz")
    raw = raw.replace(enquiry.reference.encode(), b"KTS-2000-000001")
    assert receive(raw).email.status == "unmatched"  # unknown key, unknown id, no reference
    Enquiry.objects.filter(pk=enquiry.pk).update(anonymised_at=enquiry.created_at)
    email = receive(sample("apple_de.eml", enquiry=enquiry)).email
    assert (email.status, email.enquiry) == ("unmatched", None)


def test_the_key_is_compared_without_regard_to_case(case):
    enquiry = case("in_progress")
    raw = sample("html_only.eml", enquiry=enquiry).replace(
        b"transferstelle+" + enquiry.mail_key.encode() + b"@kts.invalid",
        b"Transferstelle+" + enquiry.mail_key.upper().encode() + b"@KTS.invalid",
    )
    email = receive(raw).email
    assert (email.enquiry, email.matched_by, email.from_html) == (enquiry, "key", True)


def test_an_auto_reply_is_recorded_internally_moves_nothing_and_sends_nothing(case):
    enquiry = case("awaiting_reply")
    msgid = outgoing_message_id(enquiry)
    outbox_before, sent_before = OutboxMessage.objects.count(), len(django_mail.outbox)

    email = receive(sample("auto_reply.eml", enquiry=enquiry, msgid=msgid)).email

    enquiry.refresh_from_db()
    assert enquiry.state == State.AWAITING_REPLY
    assert (email.kind, email.enquiry, email.activity.public) == ("auto_reply", enquiry, False)
    assert OutboxMessage.objects.count() == outbox_before
    assert len(django_mail.outbox) == sent_before


def test_a_bounce_marks_the_contact_address_failing_and_sends_nothing(case):
    enquiry = case("awaiting_reply")
    msgid = outgoing_message_id(enquiry)
    outbox_before, sent_before = OutboxMessage.objects.count(), len(django_mail.outbox)

    email = receive(sample("bounce.eml", enquiry=enquiry, msgid=msgid)).email

    enquiry.refresh_from_db()
    assert (email.kind, email.enquiry, email.matched_by) == ("bounce", enquiry, "header")
    assert enquiry.state == State.AWAITING_REPLY
    assert enquiry.contact_email_failed_at is not None
    assert "User unknown" in enquiry.contact_email_failure
    assert OutboxMessage.objects.count() == outbox_before
    assert len(django_mail.outbox) == sent_before
    # a later reply from the address proves it works again
    receive(sample("apple_de.eml", enquiry=enquiry))
    enquiry.refresh_from_db()
    assert enquiry.contact_email_failed_at is None


@pytest.mark.parametrize("state", ["in_progress", "awaiting_reply"])
def test_a_real_reply_notifies_staff_but_sends_no_mail_to_the_sender(case, state, django_capture_on_commit_callbacks):
    enquiry = case(state)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    sent_before = len(django_mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        receive(sample("outlook_de.eml", enquiry=enquiry))
    assert not any(CONTACT in message.to for message in django_mail.outbox[sent_before:])
    new = OutboxMessage.objects.exclude(pk__in=before)
    assert not any(CONTACT in message.recipients for message in new)
    # in progress: "E-Mail erhalten"; awaiting a reply: receive_reply's own "hat geantwortet"
    kind = Notification.Kind.EMAIL_RECEIVED if state == "in_progress" else Notification.Kind.REPLY_RECEIVED
    assert Notification.objects.filter(enquiry=enquiry, kind=kind).exists()


def test_the_same_message_id_twice_is_one_row_and_changes_nothing(case):
    enquiry = case("awaiting_reply")
    raw = sample("thunderbird_de.eml", enquiry=enquiry)
    first = receive(raw)
    activities = Activity.objects.filter(enquiry=enquiry).count()
    files = len(mail_storage().listdir("raw")[1])

    second = receive(raw)

    assert (first.created, second.created) == (True, False)
    assert second.email.pk == first.email.pk
    assert InboundEmail.objects.filter(message_id=first.email.message_id).count() == 1
    assert Activity.objects.filter(enquiry=enquiry).count() == activities
    assert len(mail_storage().listdir("raw")[1]) == files


def test_a_mail_without_message_id_is_deduplicated_by_its_bytes(case):
    raw = b"From: a@b.example\r\nSubject: ohne ID\r\n\r\nText\r\n"
    assert receive(raw).created is True
    assert receive(raw).created is False


def test_a_50_mb_message_is_refused_before_parsing_and_logged(caplog):
    raw = b"From: a@b.example\r\nSubject: gross\r\n\r\n" + b"x" * (50 * 1024 * 1024)
    with caplog.at_level(logging.WARNING, logger="conversation"), pytest.raises(InboundRefused) as refused:
        receive(raw)
    assert "too large" in refused.value.reason
    assert "too large" in caplog.text
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize("raw", [b"", b"kein Kopf, nur Text\n", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_input_that_is_no_mail_is_refused_with_a_reason(raw, caplog):
    with caplog.at_level(logging.WARNING, logger="conversation"), pytest.raises(InboundRefused):
        receive(raw)
    assert "refused" in caplog.text
    assert not InboundEmail.objects.exists()


def test_malformed_mime_unknown_charset_and_missing_from_are_stored_with_problems(case):
    enquiry = case("awaiting_reply")
    email = receive(sample("malformed.eml", enquiry=enquiry)).email
    assert email.enquiry == enquiry and email.kind == "reply"
    assert "x-klingon" in email.problems
    assert [a.name for a in email.attachments.all()] == ["passwd.pdf"]

    stray = receive(sample("no_from.eml", enquiry=enquiry)).email
    assert (stray.from_address, stray.status) == ("", "unmatched")
    assert "Kein lesbarer Absender" in stray.problems


def test_a_mail_without_from_on_a_case_key_waits_unmatched_and_moves_nothing(case):
    enquiry = case("awaiting_reply")
    raw = sample("html_only.eml", enquiry=enquiry).replace(
        b"From: Buergermeisteramt <" + CONTACT.encode() + b">\r\n", b""
    )
    email = receive(raw).email
    enquiry.refresh_from_db()
    assert enquiry.state == State.AWAITING_REPLY
    assert (email.status, email.kind, email.enquiry) == ("unmatched", "new", None)


def test_a_header_injection_is_stored_clean(case):
    email = receive(sample("header_injection.eml")).email
    email.refresh_from_db()
    assert email.subject == "Hallo Bcc: victim@example.org injected"
    assert email.from_address == "eve@attacker.example"
    assert "\n" not in email.from_name and "\r" not in email.from_name
    assert OutboxMessage.objects.filter(recipients__icontains="victim@example.org").count() == 0


def test_a_failure_while_filing_leaves_no_row_and_no_file(case, monkeypatch):
    """A crash in the middle (here: the filing raising) rolls the row back and deletes the written files."""
    enquiry = case("awaiting_reply")
    before = set(mail_storage().listdir("raw")[1]) if mail_storage().exists("raw") else set()

    def crash(**kwargs):
        raise RuntimeError("crash while filing")

    monkeypatch.setattr("conversation.receiving.email_file", crash)
    with pytest.raises(RuntimeError):
        receive(sample("thunderbird_de.eml", enquiry=enquiry))
    assert not InboundEmail.objects.exists()
    assert set(mail_storage().listdir("raw")[1]) == before


@pytest.mark.parametrize("name", sorted(p.name for p in MAILS.glob("*.eml")))
def test_broken_variants_of_every_sample_are_stored_or_refused_never_a_crash(name, case):
    """Truncated mails and mails with damaged bytes (as a broken relay or a disk error leaves them)."""
    enquiry = case("in_progress")
    raw = sample(name, enquiry=enquiry, msgid=outgoing_message_id(enquiry))
    variants = [raw[:cut] for cut in (1, 20, len(raw) // 3, len(raw) // 2, len(raw) - 7)]
    damaged = bytearray(raw)
    for index in range(0, len(damaged), 37):
        damaged[index] = (damaged[index] * 7 + 0x80) % 256
    variants += [bytes(damaged), raw.replace(b"\r\n", b"\n").replace(b"--", b"-"), raw.replace(b":", b"\x00", 3)]
    for number, variant in enumerate(variants):
        try:
            # a Message-ID of its own in front, so that each variant is stored, not taken for the one before
            received = receive(f"Message-ID: <variant-{number}@test.example>\r\n".encode() + variant)
        except InboundRefused:
            continue
        assert received.created and received.email.pk is not None


def test_a_bounce_whose_original_id_is_unknown_is_threaded_by_the_key_in_the_original_reply_to(case):
    enquiry = case("awaiting_reply")
    email = receive(sample("bounce.eml", enquiry=enquiry, msgid="<not-ours@elsewhere.example>")).email
    assert (email.kind, email.enquiry, email.matched_by) == ("bounce", enquiry, "key")
    enquiry.refresh_from_db()
    assert enquiry.contact_email_failed_at is not None


def test_a_bounce_for_another_address_does_not_mark_the_contact_failing(case):
    enquiry = case("awaiting_reply")
    msgid = outgoing_message_id(enquiry)
    raw = sample("bounce.eml", enquiry=enquiry, msgid=msgid).replace(
        b"Final-Recipient: rfc822; " + CONTACT.encode(), b"Final-Recipient: rfc822; kollege@gemeinde.example"
    )
    raw = raw.replace(b"Original-Recipient: rfc822;" + CONTACT.encode() + b"\r\n", b"")
    email = receive(raw).email
    enquiry.refresh_from_db()
    assert (email.kind, email.enquiry) == ("bounce", enquiry)
    assert enquiry.contact_email_failed_at is None


def test_a_forwarded_mail_is_kept_as_an_eml_attachment(case):
    enquiry = case("in_progress")
    raw = (
        "From: " + CONTACT + "\r\nTo: transferstelle+" + enquiry.mail_key + "@kts.invalid\r\nSubject: Fwd: Bauamt\r\n"
        "Message-ID: <fwd-1@gemeinde.example>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDie Antwort des Bauamts, zur Info.\r\n"
        "--b\r\nContent-Type: message/rfc822\r\n\r\n"
        "From: bauamt@gemeinde.example\r\nSubject: Stellungnahme\r\nMessage-ID: <inner@gemeinde.example>\r\n\r\n"
        "Keine Einwände.\r\n--b--\r\n"
    ).encode()
    email = receive(raw).email
    (attachment,) = email.attachments.all()
    assert (attachment.name, attachment.content_type) == ("Stellungnahme.eml", "message/rfc822")
    with mail_storage().open(attachment.file.name, "rb") as stored:
        assert b"Keine Einw" in stored.read()
    assert email.text == "Die Antwort des Bauamts, zur Info."


def test_a_mime_nesting_bomb_is_refused_with_a_reason():
    depth = 3000
    raw = b"From: a@b.example\r\nSubject: nest\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" + b"".join(
        b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1) for i in range(depth)
    )
    with pytest.raises(InboundRefused) as refused:
        receive(raw)
    assert refused.value.reason == "unreadable message: RecursionError"
    assert not InboundEmail.objects.exists()


def test_the_key_is_also_found_in_the_envelope_headers_the_mta_adds(case):
    enquiry = case("in_progress")
    raw = (
        "Delivered-To: transferstelle+" + enquiry.mail_key + "@kts.invalid\r\nFrom: " + CONTACT + "\r\n"
        "To: undisclosed-recipients:;\r\nSubject: Nachtrag\r\nMessage-ID: <bcc-1@gemeinde.example>\r\n\r\nDanke.\r\n"
    ).encode()
    email = receive(raw).email
    assert (email.enquiry, email.matched_by, email.kind) == (enquiry, "key", "reply")


@pytest.mark.parametrize("date", ["Mon, 31 Dec 9999 23:59:59 -1200", "Wed, 1 Jan 1000 00:00:00 +1400", "32 Foo 2026"])
def test_an_impossible_date_is_noted_and_the_mail_stored(date):
    raw = f"From: a@b.example\r\nSubject: x\r\nDate: {date}\r\n\r\nText\r\n".encode()
    email = receive(raw).email
    assert email.sent_at is None and "Datum unlesbar" in email.problems


@pytest.mark.parametrize(("to", "matched_by"), [("reply_to", "key"), ("transferstelle@kts.invalid", "header")])
def test_a_reply_built_from_the_mail_we_really_sent_lands_on_its_case(case, to, matched_by):
    """GIVEN the request for information as it left the outbox (its real Message-ID, Reply-To and subject)
    WHEN the contact's mail client answers it (to the Reply-To, or to the plain address the contact typed;
    In-Reply-To, "AW:" subject, the quote below) THEN the answer lands on the case, without the quote, and the
    case is in progress."""
    enquiry = case("awaiting_reply")
    sent = [m for m in django_mail.outbox if CONTACT in m.to][-1].message()
    assert OutboxMessage.objects.filter(enquiry=enquiry, message_id=sent["Message-ID"]).exists()
    reply = (
        f"From: Erika Muster <{CONTACT}>\r\nTo: {sent['Reply-To'] if to == 'reply_to' else to}\r\n"
        f"Subject: AW: {sent['Subject']}\r\nMessage-ID: <real-reply@gemeinde.example>\r\n"
        f"In-Reply-To: {sent['Message-ID']}\r\nReferences: {sent['Message-ID']}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Wir haben 12.000 Einwohner.\r\n\r\nAm 30.11.2026 um 10:12 schrieb Transferstelle:\r\n> Wie viele?\r\n"
    ).encode()

    email = receive(reply).email

    enquiry.refresh_from_db()
    assert (email.enquiry, email.matched_by, email.kind) == (enquiry, matched_by, "reply")
    assert enquiry.state == State.IN_PROGRESS
    assert email.text == "Wir haben 12.000 Einwohner."


def test_the_contacts_mail_outside_a_question_reaches_the_handler_as_a_status_page_message_does(case):
    """One door for what the municipality writes without answering a question: the contact's e-mail on a case in
    progress gets the same public entry, workspace notification and e-mail to the handler as a message on the
    status page (cases.public_messages.municipality_message_record), worded as an e-mail."""
    enquiry = case("in_progress")

    receive(sample("outlook_de.eml", enquiry=enquiry))

    mail = OutboxMessage.objects.get(enquiry=enquiry, template="municipality_message")
    assert CONTACT not in mail.recipients and mail.recipients
    assert "eine E-Mail geschrieben" in mail.text
    assert Activity.objects.filter(enquiry=enquiry, kind="email_in", public=True, actor="municipality").exists()
