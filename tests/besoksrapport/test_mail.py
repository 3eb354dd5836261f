"""The secretary's mail as composed (mail.py) and as a real SMTP server on 127.0.0.1 gets it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from mail_helpers import SECRETARY, SENDER, body_of, filed, parse
from meeting_reports import make_report

from besoksrapport.delivery.mail import FiledDocument, digest_message, report_message
from besoksrapport.delivery.smtp import send_message
from besoksrapport.settings import SmtpSettings


def test_report_mail_arrives_with_swedish_subject_recipients_and_identical_attachment(
        inbox, committee):
    handler, port = inbox
    item = filed(1, operation="kost", unit="Centralköket")
    message = report_message(committee, item, sender=SENDER, recipients=SECRETARY)
    send_message(SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER),
                 message)

    [(mail_from, rcpt_tos, raw)] = handler.messages
    assert mail_from == SENDER
    assert rcpt_tos == SECRETARY
    assert b"\xc3\xa5" not in raw.split(b"\r\n\r\n")[0]  # headers are 7-bit, encoded
    received = parse(raw)
    assert received["Subject"] == "Ny återrapport till sammanträdet den 10 december 2026"
    lines = body_of(received).splitlines()
    assert lines[:3] == [
        "Hej!", "",
        "En ny återrapport av ett verksamhetsbesök har kommit in och skickas med till "
        "Välfärd- och servicenämndens sammanträde den 10 december 2026."]
    assert "Verksamhet: Kost" in lines
    assert "Enhet: Centralköket" in lines
    assert "Besöksdatum: 2 oktober 2026" in lines
    assert lines[-3:] == [
        "Rapporten är bifogad som Word-dokument och finns även i sammanträdets mapp.", "",
        "Det här meddelandet har skickats automatiskt. Svara inte på det."]
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == item.file_name
    assert attachment.get_content_type().endswith("wordprocessingml.document")
    assert attachment.get_content() == item.data


def test_report_mail_body_repeats_no_answer_text(committee):
    item = filed(2)
    message = report_message(committee, item, sender=SENDER, recipients=SECRETARY)
    body = body_of(message)
    for free_text in ("unit_news", "operation_raises"):
        answer = item.report.answers.get(free_text)
        if answer:
            assert answer not in body


def test_report_mail_names_the_politician_and_the_oral_summary_wish(committee):
    wants = filed(3)  # oral_summary is True for every third report
    assert wants.report.answers["oral_summary"] is True
    lines = body_of(report_message(committee, wants, sender=SENDER,
                                   recipients=SECRETARY)).splitlines()
    assert f"Kontaktpolitiker: {wants.report.submitter.name}" in lines
    assert ("Muntlig sammanfattning: Ja, kontaktpolitikern vill också göra en muntlig "
            "sammanfattning vid sammanträdet.") in lines
    no_wish = filed(2)
    lines = body_of(report_message(committee, no_wish, sender=SENDER,
                                   recipients=SECRETARY)).splitlines()
    assert "Muntlig sammanfattning: Nej." in lines


def test_the_secretary_reads_the_declarations_and_the_arvode_claim_in_the_mail(committee):
    """They are not in the public document, so the mail is where the secretary sees them."""
    item = filed(3, employed_in_operation=False, relative_employed_in_operation=True,
                 claims_meeting_fee=True)
    lines = body_of(report_message(committee, item, sender=SENDER,
                                   recipients=SECRETARY)).splitlines()
    start = lines.index("Anställd i den besökta verksamheten: Nej")
    assert lines[start:start + 3] == ["Anställd i den besökta verksamheten: Nej",
                                      "Närstående anställd i den besökta verksamheten: Ja",
                                      "Begär sammanträdesarvode: Ja"]
    digest = body_of(digest_message(committee, [item, filed(4)], sender=SENDER,
                                    recipients=SECRETARY))
    assert digest.count("   Begär sammanträdesarvode: ") == 2


def test_digest_attaches_every_report_in_meeting_and_visit_order(inbox, committee):
    handler, port = inbox
    items = [filed(3), filed(1), filed(2)]
    message = digest_message(committee, items, sender=SENDER, recipients=SECRETARY[:1])
    send_message(SmtpSettings(host="127.0.0.1", port=port, starttls=False), message)

    [(_, rcpt_tos, raw)] = handler.messages
    assert rcpt_tos == SECRETARY[:1]
    received = parse(raw)
    assert received["Subject"] == "3 nya återrapporter till sammanträdet den 10 december 2026"
    attachments = list(received.iter_attachments())
    assert [a.get_filename() for a in attachments] == [i.file_name for i in
                                                       sorted(items, key=lambda i: i.file_name)]
    assert [a.get_content() for a in attachments] == [filed(n).data for n in (1, 2, 3)]
    body = body_of(received)
    assert body.index("BR-0001") < body.index("BR-0002") < body.index("BR-0003")


def test_digest_of_several_reports_says_how_many_came_in_and_when_in_plural(committee):
    message = digest_message(committee, [filed(3), filed(1), filed(2)], sender=SENDER,
                             recipients=SECRETARY)
    lines = body_of(message).splitlines()
    assert lines[2] == ("Den 1 november 2026 kom det in tre nya återrapporter av "
                        "verksamhetsbesök. Rapporterna skickas med till Välfärd- och "
                        "servicenämndens sammanträde den 10 december 2026.")
    assert lines[4] == "1."
    assert ("Rapporterna är bifogade som Word-dokument och finns även i sammanträdets mapp."
            in lines)


def test_digest_of_one_report_speaks_of_it_in_the_singular(committee):
    message = digest_message(committee, [filed(1)], sender=SENDER, recipients=SECRETARY)
    assert message["Subject"] == "Ny återrapport till sammanträdet den 10 december 2026"
    lines = body_of(message).splitlines()
    assert lines[2] == ("Den 1 november 2026 kom det in en ny återrapport av ett "
                        "verksamhetsbesök. Rapporten skickas med till Välfärd- och "
                        "servicenämndens sammanträde den 10 december 2026.")
    assert lines[4] == "Sammanträde: 10 december 2026"  # no «1.» list of one
    assert lines[-3] == ("Rapporten är bifogad som Word-dokument och finns även i "
                         "sammanträdets mapp.")


def test_digest_names_the_first_day_reports_came_in_on_the_stockholm_calendar(committee):
    # 23:30 UTC on 29 October is half past midnight on 30 October in Stockholm.
    early = replace(make_report(2), received_at=datetime(2026, 10, 29, 23, 30, tzinfo=UTC))
    items = [filed(1), FiledDocument(early, "b.docx", b"b")]
    message = digest_message(committee, items, sender=SENDER, recipients=SECRETARY)
    assert body_of(message).splitlines()[2].startswith(
        "Sedan den 30 oktober 2026 har det kommit in två nya återrapporter av "
        "verksamhetsbesök. ")


def test_digest_over_several_meetings_says_so(committee):
    items = [filed(1), FiledDocument(make_report(2, meeting=date(2027, 1, 28)), "b.docx", b"b")]
    message = digest_message(committee, items, sender=SENDER, recipients=SECRETARY)
    assert message["Subject"] == "2 nya återrapporter till nämndens sammanträden"
    lines = body_of(message).splitlines()
    assert lines[2] == ("Den 1 november 2026 kom det in två nya återrapporter av "
                        "verksamhetsbesök. Rapporterna skickas med till Välfärd- och "
                        "servicenämndens sammanträden enligt nedan.")
    assert ("Rapporterna är bifogade som Word-dokument och finns även i respektive "
            "sammanträdes mapp." in lines)


def test_no_recipients_is_refused(committee):
    with pytest.raises(ValueError, match="no recipients"):
        report_message(committee, filed(1), sender=SENDER, recipients=[])
