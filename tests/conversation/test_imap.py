"""The IMAP door against a real dovecot (tests/conversation/dovecot.py): mails put into the mailbox with IMAP
APPEND, as a mail server's delivery looks to us, then polled by conversation.imap, the task and the command."""

from __future__ import annotations

import ssl
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail as sent_mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from cases.models import Enquiry
from conversation import imap
from conversation.checks import check_inbound_imap
from conversation.imap import KEYWORD_REFUSED, KEYWORD_STORED, LOCK_KEY, imap_poll, imap_url_parse
from conversation.models import InboundEmail
from conversation.receiving import inbound_receive
from conversation.tasks import poll_imap
from outbox.delivery import outbox_deliver
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f
from tests.conversation.dovecot import NO_KEYWORDS_FOLDER, dovecot_server, mailbox_fixture  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.django_db

SEEN = "\\Seen"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def mail(
    *,
    to: str = "transferstelle@kts.invalid",
    sender: str = "buergermeisterin@gemeinde.example",
    subject: str = "Frage zur Transferstelle",
    text: str = "Guten Tag,\n\nwir haben eine Frage.\n\nMit freundlichen Grüßen\nAnna Amt\n",
    attachment: tuple[str, str, bytes] | None = None,
    in_reply_to: str = "",
) -> tuple[str, bytes]:
    """(Message-ID, raw bytes with CRLF line ends as on the wire) of a text mail, with ``attachment`` (name,
    MIME type, content) and In-Reply-To/References if given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="gemeinde.example")
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = in_reply_to
    message.set_content(text)
    if attachment is not None:
        name, content_type, content = attachment
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message["Message-ID"], message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def question_sent(enquiry: Enquiry):
    """The request_info e-mail to the municipality as the outbox sent it (Django's test mail backend)."""
    row = OutboxMessage.objects.filter(enquiry=enquiry, template="request_info").latest("id")
    assert outbox_deliver(message_id=row.pk)
    return sent_mail.outbox[-1].message()


@pytest.fixture
def awaiting_case(db, coordinator, partner, partner_user):
    """A case that asked the municipality a question (awaiting_reply), contact amt@gemeinde.example."""
    topic = f.TopicFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    enquiry = b.enquiry_submitted(
        municipality=f.MunicipalityFactory(), topics=[topic.slug], contact_email="amt@gemeinde.example"
    )
    return b.enquiry_brought_to(enquiry, "awaiting_reply", coordinator=coordinator, staff=partner_user, partner=partner)


@pytest.fixture
def imap_settings(settings, mailbox):
    settings.INBOUND_IMAP_URL = mailbox.url()
    settings.INBOUND_IMAP_CAFILE = ""
    settings.INBOUND_MAX_BYTES = 8 * 1024
    return settings


# --- the URL ---------------------------------------------------------------------------------------------------


def test_the_url_gives_host_port_folder_and_the_decoded_credentials():
    box = imap_url_parse("imaps://post%40gemeinde.example:p%40ss%2Fw%3Ard@mail.example:10993/Posteingang%2FKTS")
    assert (box.host, box.port, box.tls) == ("mail.example", 10993, True)
    assert (box.user, box.password) == ("post@gemeinde.example", "p@ss/w:rd")
    assert box.folder == "Posteingang/KTS"
    assert "p@ss" not in str(box)


def test_the_url_defaults_to_the_inbox_and_the_protocols_ports():
    assert imap_url_parse("imaps://u:p@mail.example").folder == "INBOX"
    assert imap_url_parse("imaps://u:p@mail.example/").port == 993
    plain = imap_url_parse("imap://u:p@127.0.0.1/")
    assert (plain.port, plain.tls, plain.is_local) == (143, False, True)
    assert not imap_url_parse("imap://u:p@mail.example/").is_local


@pytest.mark.parametrize(
    "url, complaint",
    [
        ("pop3://u:geheim@mail.example/", "expected imaps://"),
        ("imaps://mail.example/INBOX", "user and password"),
        ("imaps://u@mail.example/INBOX", "user and password"),
        ("imaps://u:geheim@mail.example:99999/", "port"),
        ("imaps://u:geheim@:993/", "no host"),
    ],
)
def test_a_wrong_url_is_named_without_its_password(url, complaint):
    with pytest.raises(ImproperlyConfigured) as refused:
        imap_url_parse(url)
    assert complaint in str(refused.value)
    assert "geheim" not in str(refused.value)


def test_manage_py_check_names_a_wrong_url_a_missing_ca_file_and_plain_imap_to_another_machine(settings):
    settings.INBOUND_IMAP_URL = "imaps://u:geheim@mail.example/"
    settings.INBOUND_IMAP_CAFILE = ""
    assert check_inbound_imap(None) == []

    settings.INBOUND_IMAP_URL = "imap://u:geheim@mail.example/"
    settings.INBOUND_IMAP_CAFILE = "/nonexistent/ca.pem"
    assert sorted(problem.id for problem in check_inbound_imap(None)) == ["conversation.E002", "conversation.W001"]

    settings.INBOUND_IMAP_URL = "imap//u:geheim@mail.example"
    settings.INBOUND_IMAP_CAFILE = ""
    [problem] = check_inbound_imap(None)
    assert problem.id == "conversation.E001" and "geheim" not in problem.msg


def test_without_a_url_the_task_does_nothing(settings):
    settings.INBOUND_IMAP_URL = ""
    assert poll_imap.delay().get() == {
        "stored": 0,
        "duplicates": 0,
        "refused": 0,
        "failed": 0,
        "left": 0,
        "skipped": False,
    }


def test_the_command_says_when_no_url_is_set(settings):
    settings.INBOUND_IMAP_URL = ""
    with pytest.raises(CommandError, match="INBOUND_IMAP_URL"):
        call_command("poll_imap")


# --- polls against dovecot -----------------------------------------------------------------------------------------


def test_a_poll_stores_each_mail_once_marks_it_on_the_server_and_the_next_poll_finds_nothing_new(
    imap_settings,
    mailbox,
    awaiting_case,
):
    """GIVEN a mailbox with a reply to the question a case sent (to its Reply-To), a stray mail, the same mail
    delivered twice, a mail larger than INBOUND_MAX_BYTES and one that is no mail at all (no header)
    WHEN the mailbox is polled twice
    THEN the reply is on its case (by the key in the address) without the quote, with its attachment, and takes
    receive_reply; the stray mail waits for a coordinator, the duplicate is one row, nothing else is stored; the
    server's flags say what happened to each message, and the second poll does nothing."""
    question = question_sent(awaiting_case)
    assert awaiting_case.mail_key in question["Reply-To"]
    reply_id, reply = mail(
        to=question["Reply-To"],
        sender="amt@gemeinde.example",
        subject=f"AW: {question['Subject']}",
        in_reply_to=question["Message-ID"],
        text="Wir haben 12.000 Einwohner.\n\nAm 30.11.2026 um 10:12 schrieb Transferstelle:\n> Wie viele Einwohner?\n",
        attachment=("Einwohner 2026.pdf", "application/pdf", PDF),
    )
    stray_id, stray = mail(subject="Allgemeine Frage", text="Wie erreiche ich die Transferstelle?\n")
    twice_id, twice = mail(subject="Zweimal zugestellt", text="Dieselbe Nachricht.\n")
    big_id, big = mail(subject="Großer Anhang", text="x" * 20_000 + "\n")
    for raw in (reply, stray, twice, twice, big, b"nur ein Text ohne Kopfzeilen\r\n"):
        mailbox.deliver(raw)

    first = imap_poll()
    second = imap_poll()

    assert (first.stored, first.duplicates, first.refused, first.failed) == (3, 1, 2, 0)
    assert second.as_dict() == {
        "stored": 0,
        "duplicates": 0,
        "refused": 0,
        "failed": 0,
        "left": 0,
        "skipped": False,
    }
    rows = {row.message_id: row for row in InboundEmail.objects.all()}
    assert set(rows) == {reply_id.strip("<>"), stray_id.strip("<>"), twice_id.strip("<>")}
    filed = rows[reply_id.strip("<>")]
    assert (filed.enquiry_id, filed.status, filed.kind, filed.source, filed.matched_by) == (
        awaiting_case.pk,
        "filed",
        "reply",
        "imap",
        "key",
    )
    assert filed.activity is not None and "Wie viele Einwohner" not in filed.text
    assert [(a.name, a.size) for a in filed.attachments.all()] == [("Einwohner 2026.pdf", len(PDF))]
    awaiting_case.refresh_from_db()
    assert awaiting_case.state == "in_progress"
    unmatched = rows[stray_id.strip("<>")]
    assert (unmatched.enquiry_id, unmatched.status) == (None, "unmatched")

    flags = mailbox.flags()
    for stored in (reply_id, stray_id, twice_id):
        assert {SEEN, KEYWORD_STORED} <= flags[stored]
    assert KEYWORD_REFUSED in flags[big_id] and SEEN not in flags[big_id]
    assert KEYWORD_REFUSED in flags[""] and SEEN not in flags[""]  # the one without a header


def test_a_mail_stored_before_a_crash_is_marked_by_the_next_poll_and_not_stored_again(imap_settings, mailbox):
    """GIVEN a mail that was stored but not yet marked on the server (the poll crashed in between)
    WHEN the mailbox is polled
    THEN it counts as a duplicate, is marked stored, and there is still one row."""
    message_id, raw = mail(subject="Vor dem Absturz gespeichert")
    mailbox.deliver(raw)
    inbound_receive(raw, source="imap")

    result = imap_poll()

    assert (result.stored, result.duplicates) == (0, 1)
    assert InboundEmail.objects.filter(message_id=message_id.strip("<>")).count() == 1
    assert {SEEN, KEYWORD_STORED} <= mailbox.flags()[message_id]


def test_a_poll_takes_a_bounded_batch_and_leaves_the_rest_for_the_next(imap_settings, mailbox):
    ids = []
    for number in range(3):
        message_id, raw = mail(subject=f"Nachricht {number}")
        ids.append(message_id)
        mailbox.deliver(raw)

    first = imap_poll(batch=2)
    assert (first.stored, first.left) == (2, 1)
    assert KEYWORD_STORED not in mailbox.flags()[ids[2]]  # the oldest first

    second = imap_poll(batch=2)
    assert (second.stored, second.left) == (1, 0)
    assert InboundEmail.objects.count() == 3


def test_a_poll_out_of_time_starts_no_new_message_and_leaves_the_rest(imap_settings, mailbox, monkeypatch):
    for number in range(2):
        mailbox.deliver(mail(subject=f"Spät {number}")[1])
    monkeypatch.setattr(imap, "BUDGET_SECONDS", -1)  # the time is up before the first message

    result = imap_poll()

    assert (result.stored, result.left) == (0, 2)
    monkeypatch.setattr(imap, "BUDGET_SECONDS", 120)
    assert imap_poll().stored == 2


def test_a_poll_skips_while_another_one_holds_the_lock(imap_settings, mailbox):
    message_id, raw = mail(subject="Wartet auf den nächsten Abruf")
    mailbox.deliver(raw)
    assert cache.add(LOCK_KEY, "the other poll", timeout=60)

    result = imap_poll()
    output = call_command_output("poll_imap")

    assert result.skipped and result.stored == 0
    assert "läuft gerade" in output
    assert not InboundEmail.objects.exists()
    assert KEYWORD_STORED not in mailbox.flags()[message_id]
    assert cache.get(LOCK_KEY) == "the other poll"  # not freed by the poll that skipped

    cache.delete(LOCK_KEY)
    assert imap_poll().stored == 1


def test_the_task_and_the_command_poll_the_configured_mailbox(imap_settings, mailbox):
    mailbox.deliver(mail(subject="Über den Task")[1])
    assert poll_imap.delay().get()["stored"] == 1

    mailbox.deliver(mail(subject="Über den Befehl")[1])
    output = call_command_output("poll_imap")
    assert "1 gespeichert, 0 schon vorhanden, 0 abgelehnt, 0 fehlgeschlagen" in output
    assert mailbox.password not in output
    assert InboundEmail.objects.filter(source="imap").count() == 2


def test_a_folder_other_than_the_inbox_is_polled_when_the_url_names_it(imap_settings, mailbox):
    message_id, raw = mail(subject="Im Unterordner")
    mailbox.deliver(raw, folder="Transferstelle")
    mailbox.deliver(mail(subject="Im Posteingang")[1])
    imap_settings.INBOUND_IMAP_URL = mailbox.url(folder="Transferstelle")

    assert imap_poll().stored == 1
    assert InboundEmail.objects.get().message_id == message_id.strip("<>")


def test_a_server_that_keeps_no_keywords_is_polled_by_unseen_and_marks_what_it_handled_seen(
    imap_settings, mailbox, caplog
):
    """GIVEN a folder where the server keeps no keywords of ours (no \\* in PERMANENTFLAGS: a dovecot ACL without
    the "w" right) with a mail and one larger than INBOUND_MAX_BYTES
    WHEN it is polled twice
    THEN the mail is stored once, both are marked \\Seen (the only mark left), and the second poll finds nothing."""
    message_id, raw = mail(subject="Ohne Schlagworte")
    big_id, big = mail(subject="Zu groß", text="x" * 20_000 + "\n")
    mailbox.deliver(raw, folder=NO_KEYWORDS_FOLDER)
    mailbox.deliver(big, folder=NO_KEYWORDS_FOLDER)
    imap_settings.INBOUND_IMAP_URL = mailbox.url(folder=NO_KEYWORDS_FOLDER)

    first = imap_poll()
    second = imap_poll()

    assert (first.stored, first.refused) == (1, 1)
    assert (second.stored, second.refused, second.duplicates) == (0, 0, 0)
    assert "polling UNSEEN messages instead" in caplog.text
    flags = mailbox.flags(folder=NO_KEYWORDS_FOLDER)
    assert SEEN in flags[message_id] and KEYWORD_STORED not in flags[message_id]
    assert SEEN in flags[big_id] and KEYWORD_REFUSED not in flags[big_id]
    assert InboundEmail.objects.get().message_id == message_id.strip("<>")


def test_a_folder_that_does_not_exist_ends_the_command_with_the_servers_answer(imap_settings, mailbox):
    imap_settings.INBOUND_IMAP_URL = mailbox.url(folder="Gibt-es-nicht")
    with pytest.raises(CommandError, match=r"Gibt-es-nicht: .*Mailbox doesn't exist"):
        call_command("poll_imap")


def test_a_wrong_password_ends_the_command_with_a_clear_message(imap_settings, mailbox):
    imap_settings.INBOUND_IMAP_URL = mailbox.url().replace("%23", "%24", 1)  # the password's "#" -> "$"
    with pytest.raises(CommandError) as failed:
        call_command("poll_imap")
    assert "Anmeldung abgelehnt: [AUTHENTICATIONFAILED]" in str(failed.value)
    assert mailbox.user in str(failed.value)
    assert mailbox.password not in str(failed.value)


# --- imaps --------------------------------------------------------------------------------------------------------


def test_a_poll_over_imaps_trusts_the_ca_file(imap_settings, mailbox):
    imap_settings.INBOUND_IMAP_URL = mailbox.url(tls=True)
    imap_settings.INBOUND_IMAP_CAFILE = mailbox.server.cafile
    message_id, raw = mail(subject="Über TLS")
    mailbox.deliver(raw)

    assert imap_poll().stored == 1
    assert {SEEN, KEYWORD_STORED} <= mailbox.flags()[message_id]


def test_imaps_refuses_a_server_whose_certificate_it_cannot_verify(imap_settings, mailbox):
    imap_settings.INBOUND_IMAP_URL = mailbox.url(tls=True)  # self-signed, and no CA file given
    mailbox.deliver(mail(subject="Bleibt liegen")[1])

    with pytest.raises(ssl.SSLCertVerificationError):
        imap_poll()
    assert not InboundEmail.objects.exists()
    assert cache.get(LOCK_KEY) is None  # the failed poll freed its lock


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
