"""conversation.parsing and conversation.quotes on realistic sample mails (tests/conversation/mails)."""

from __future__ import annotations

import pytest

from conversation.parsing import NotAMail, normalise_message_id, parse_mail, safe_filename
from conversation.quotes import strip_quotes
from tests.conversation.conftest import CONTACT, sample

MSGID = "<outbox-1@kts.invalid>"


def test_outlook_german_reply_loses_the_von_gesendet_block_and_keeps_the_greeting():
    mail = parse_mail(sample("outlook_de.eml", msgid=MSGID))
    assert mail.from_address == CONTACT
    assert mail.from_name == "Muster, Erika"
    assert mail.subject == "AW: [KTS-2000-000000] Rückfrage zu Ihrer Anfrage"
    assert mail.in_reply_to == [MSGID]
    assert "transferstelle+nokey@kts.invalid" in mail.recipients
    assert mail.text.startswith("Guten Tag,\n\nwir haben rund 12.000 Einwohner")
    assert "Mit freundlichen Grüßen\nErika Muster" in mail.text
    assert "Gesendet:" not in mail.text and "Wie viele Einwohner" not in mail.text
    assert "Gesendet: Montag, 30. November 2026 10:12" in mail.full_text
    assert mail.from_html is False  # the plain alternative is taken
    assert [(a.name, a.content_type) for a in mail.attachments] == [("Ausschreibung Rufbus.pdf", "application/pdf")]
    assert mail.attachments[0].data.startswith(b"%PDF-1.4")
    assert mail.problems == [] and not mail.auto_reply and mail.bounce is None


def test_thunderbird_german_reply_loses_quote_and_signature_but_keeps_the_list():
    mail = parse_mail(sample("thunderbird_de.eml", msgid=MSGID))
    assert mail.text == (
        "Guten Tag,\n\nanbei die Zahlen:\n- 12.000 Einwohner\n- 3 Buslinien\n\nMit freundlichen Grüßen\nErika Muster"
    )
    assert "Am 30.11.2026 um 10:12 schrieb Transferstelle:" in mail.full_text
    assert "Tel. 09123 4567" in mail.full_text
    assert mail.references == ["<older@gemeinde.example>", MSGID]
    assert [a.name for a in mail.attachments] == ["Liniennetz.png"]
    assert mail.problems == ["Anhang Fahrplaene.zip nicht gespeichert: Dateityp nicht erlaubt"]


def test_gmail_english_reply_with_a_wrapped_wrote_line():
    mail = parse_mail(sample("gmail_en.eml", msgid=MSGID))
    assert mail.text == "Hi,\n\nwe have about 12,000 inhabitants.\n\nBest regards,\nErika"
    assert "wrote:" in mail.full_text and "how many inhabitants" in mail.full_text


def test_apple_mail_german_reply_with_quoted_printable():
    mail = parse_mail(sample("apple_de.eml"))
    assert mail.text == (
        "Hallo,\n\nwir haben 12.000 Einwohner. Die Zahlen für den Rufbus reiche ich nach.\n\nViele Grüße\nErika Muster"
    )
    assert mail.message_id == "5E1F2A3B-4C5D-6E7F-8091-A2B3C4D5E6F7@gemeinde.example"


def test_html_only_mail_becomes_text_without_script_or_style_and_keeps_links():
    mail = parse_mail(sample("html_only.eml"))
    assert mail.from_html is True
    assert "Sehr geehrte Damen und Herren," in mail.text
    assert "https://gemeinde.example/konzept.pdf" in mail.text
    assert "Rufbus seit 2024" in mail.text
    for bad in ("document.cookie", "<script", "font-family", "alert(", "<p>"):
        assert bad not in mail.full_text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ("Auto-Submitted: auto-replied", True),
        ("Auto-Submitted: auto-generated", True),
        ("Auto-Submitted: no", False),
        ("Precedence: bulk", True),
        ("Precedence: list", True),
        ("X-Autoreply: yes", True),
        ("X-Autorespond: yes", True),
        ("X-Auto-Response-Suppress: OOF", True),
        ("X-Mailer: Outlook", False),
    ],
)
def test_auto_replies_are_known_by_their_headers(headers, expected):
    raw = f"From: a@b.example\r\nSubject: Hallo\r\n{headers}\r\n\r\nText\r\n".encode()
    assert parse_mail(raw).auto_reply is expected


def test_an_out_of_office_subject_alone_is_no_auto_reply():
    raw = b"From: a@b.example\r\nSubject: Abwesenheitsnotiz\r\n\r\nIch bin wieder da, hier die Antwort.\r\n"
    assert parse_mail(raw).auto_reply is False


def test_a_delivery_status_report_is_a_bounce_with_recipient_reason_and_original():
    mail = parse_mail(sample("bounce.eml", msgid=MSGID))
    assert mail.bounce is not None and not mail.auto_reply
    assert mail.bounce.original_message_id == MSGID
    assert mail.bounce.recipient == CONTACT
    assert mail.bounce.reason.startswith("5.1.1 550 5.1.1")
    assert "User unknown" in mail.bounce.reason
    assert mail.attachments == []  # the returned headers are no attachment


def test_malformed_mime_unknown_charset_and_broken_base64_still_give_a_mail_with_problems():
    mail = parse_mail(sample("malformed.eml"))
    assert mail.message_id == "malformed-1@gemeinde.example"
    assert mail.from_address == CONTACT
    assert mail.sent_at is None
    assert "Guten Tag" in mail.full_text
    assert "Unbekannter Zeichensatz x-klingon: als UTF-8 gelesen" in mail.problems
    assert "Fehlerhafter Aufbau der E-Mail (MIME)" in mail.problems
    assert [a.name for a in mail.attachments] == ["passwd.pdf"]  # the path and the bell character are gone


def test_a_header_injection_is_stored_without_its_control_characters():
    mail = parse_mail(sample("header_injection.eml"))
    assert mail.subject == "Hallo Bcc: victim@example.org injected"
    assert mail.from_address == "eve@attacker.example"  # the decoded display name is not taken for the address
    assert "\r" not in mail.from_name and "\n" not in mail.from_name


def test_a_mail_without_from_has_no_sender_and_says_so():
    mail = parse_mail(sample("no_from.eml"))
    assert mail.from_address == ""
    assert mail.problems == ["Kein lesbarer Absender (From)"]


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"Hallo, das ist keine Mail.\n", b"%PDF-1.4\n%binary\x00\x01"])
def test_input_without_header_lines_is_not_a_mail(raw):
    with pytest.raises(NotAMail):
        parse_mail(raw)


def test_message_ids_are_normalised_and_hashed_when_missing_or_too_long():
    assert normalise_message_id(" <abc@x.example>\r\n") == "abc@x.example"
    assert normalise_message_id("", b"raw") == normalise_message_id("", b"raw")
    assert normalise_message_id("", b"raw").startswith("sha256:")
    long_id = normalise_message_id("<" + "a" * 300 + "@x.example>")
    assert long_id.startswith("sha256:") and len(long_id) <= 255
    raw = b"From: a@b.example\r\nSubject: ohne ID\r\n\r\nText\r\n"
    assert parse_mail(raw).message_id == normalise_message_id("", raw)


def test_attachment_limits_type_and_size(settings):
    settings.INBOUND_ATTACHMENT_MAX_BYTES = 1024
    settings.INBOUND_ATTACHMENTS_MAX = 2
    import base64

    def part(name, ctype, data):
        payload = base64.b64encode(data).decode()
        return (
            f'--b\r\nContent-Type: {ctype}\r\nContent-Disposition: attachment; filename="{name}"\r\n'
            f"Content-Transfer-Encoding: base64\r\n\r\n{payload}\r\n"
        )

    raw = (
        'From: a@b.example\r\nSubject: Anlagen\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nAnbei.\r\n"
        + part("gross.pdf", "application/pdf", b"%PDF" + b"x" * 5000)
        + part("setup.exe", "application/octet-stream", b"MZ")
        + part("bild.png", "application/pdf", b"\x89PNG")  # extension and type disagree
        + part("liste.csv", "text/csv", b"a;b\r\n")
        + part("notiz.txt", "application/octet-stream", b"untyped, the extension decides")
        + part("dritte.pdf", "application/pdf", b"%PDF-1.4")
        + "--b--\r\n"
    ).encode()
    mail = parse_mail(raw)
    assert [(a.name, a.content_type) for a in mail.attachments] == [
        ("liste.csv", "text/csv"),
        ("notiz.txt", "text/plain"),
    ]
    assert mail.problems == [
        "Anhang gross.pdf nicht gespeichert: zu groß",
        "Anhang setup.exe nicht gespeichert: Dateityp nicht erlaubt",
        "Anhang bild.png nicht gespeichert: Dateityp nicht erlaubt",
        "Anhang dritte.pdf nicht gespeichert: mehr als 2 Anhänge",
    ]


def test_file_names_lose_paths_and_control_characters_and_stay_short():
    assert safe_filename("C:\\Users\\x\\..\\Bericht.pdf") == "Bericht.pdf"
    assert safe_filename("../../.ssh/\x00id.pdf") == "id.pdf"
    assert safe_filename("", "application/pdf") == "anhang.pdf"
    long_name = safe_filename("a" * 400 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ja.\n\n-----Ursprüngliche Nachricht-----\nVon: x\nGesendet: y\nAn: z\nBetreff: w\n\nalt", "Ja."),
        ("Yes.\n\n-----Original Message-----\nFrom: x\nSent: y\nTo: z\nSubject: w\n\nold", "Yes."),
        ("Ja.\n\nAm 30.11.2026 schrieb Transferstelle <t@kts.invalid>:\n> alt", "Ja."),
        ("Yes.\n\nOn Mon, 30 Nov 2026, Transferstelle wrote:\n> old", "Yes."),
        ("Ja.\n> alt\nNoch etwas.", "Ja.\nNoch etwas."),
        ("Ja.\n\nMit freundlichen Grüßen\nE. Muster\n-- \nAmt für X", "Ja.\n\nMit freundlichen Grüßen\nE. Muster"),
        ("> nur Zitat", "> nur Zitat"),  # nothing of its own left: the whole text rather than nothing
    ],
)
def test_quote_stripper(text, expected):
    assert strip_quotes(text) == expected


def test_raw_8bit_headers_are_read_as_utf8_and_never_left_as_surrogates():
    mail = parse_mail("From: Jürgen Müller <j@x.example>\r\nSubject: Grüße\r\n\r\nHallo\r\n".encode())
    assert (mail.from_name, mail.subject) == ("Jürgen Müller", "Grüße")
    latin = parse_mail("From: Jürgen <j@x.example>\r\nSubject: Grüße\r\n\r\nGrüße\r\n".encode("latin-1"))
    for value in (latin.from_name, latin.subject, latin.full_text):
        value.encode("utf-8")  # no lone surrogates: the database can store it
    assert latin.from_name.startswith("J") and latin.from_name.endswith("rgen")


def test_8bit_text_without_a_charset_is_read_as_windows_1252_when_it_is_not_utf8():
    raw = "From: a@b.example\r\nSubject: x\r\n\r\nGrüße aus Köln\r\n".encode("cp1252")
    assert parse_mail(raw).full_text == "Grüße aus Köln"
    utf8 = "From: a@b.example\r\nSubject: x\r\n\r\nGrüße aus Köln\r\n".encode()
    assert parse_mail(utf8).full_text == "Grüße aus Köln"


def test_an_address_hidden_in_a_display_name_is_no_recipient():
    raw = (
        b"From: a@b.example\r\nTo: =?utf-8?q?transferstelle+abc@kts.invalid?= <other@kts.invalid>\r\n"
        b"Delivered-To: transferstelle@kts.invalid\r\nSubject: x\r\n\r\nText\r\n"
    )
    assert parse_mail(raw).recipients == ["other@kts.invalid", "transferstelle@kts.invalid"]


def test_html_only_replies_lose_their_quote_too():
    outlook_html = sample("outlook_de.eml").split(b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")[2]
    outlook_html = outlook_html.split(b"\r\n--_000")[0]
    outlook = parse_mail(
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + outlook_html
    )
    assert outlook.from_html is True
    assert outlook.text.endswith("Mit freundlichen Grüßen\nErika Muster")
    assert "Gesendet:" in outlook.full_text and "Gesendet:" not in outlook.text
    gmail = parse_mail(
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<div>Hi,<br>yes.</div><div class=gmail_quote><div>On Mon, 30 Nov 2026 at 10:12, Transferstelle "
        b"&lt;t@kts.invalid&gt; wrote:<br></div><blockquote>How many?</blockquote></div>"
    )
    assert gmail.text == "Hi,\nyes."


def test_clean_survives_lone_surrogates_and_control_characters():
    from conversation.text import clean

    assert clean("a\ud800b\r\nc\x00") == "a?b c"
