#!/usr/bin/env python3
"""Writes the statement fixtures (statements/*.eml) and their attachments.

Each statement is written for this project from a real public liaison statement (the URL is in
its X-Fixture-Source header), paraphrased and shortened; people are replaced by role addresses or
invented names. Attachments (.docx, .zip of .docx, .pdf, .html, .txt, hostile archives) are built
here with zipfile so that the bytes are reproducible: fixed timestamps, fixed order.

Run from this directory: python3 make-fixtures.py
"""
import base64
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "statements")
DATE = (2026, 11, 20, 9, 0, 0)

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                 '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text):
    runs = []
    for i, piece in enumerate(text.split("\t")):
        if i:
            runs.append("<w:r><w:tab/></w:r>")
        if piece:
            runs.append('<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % esc(piece))
    return "<w:p>%s</w:p>" % "".join(runs)


def table(rows):
    out = ["<w:tbl>"]
    for row in rows:
        out.append("<w:tr>")
        for cell in row:
            paragraphs = cell.split("\n") if cell else [""]
            out.append("<w:tc>%s</w:tc>" % "".join(para(p) for p in paragraphs))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def docx(blocks):
    """blocks: strings (paragraphs) or lists of rows (tables)."""
    body = "".join(table(b) if isinstance(b, list) else para(b) for b in blocks)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document %s><w:body>%s</w:body></w:document>'
                % (W, body))
    return zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", document)])


def pdf(lines):
    """A one-page PDF with the lines in Helvetica, with a correct cross-reference table."""
    content = "BT /F1 11 Tf 50 780 Td 14 TL\n" + "".join(
        "(%s) '\n" % l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for l in lines) + "ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (number, obj)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    for offset in offsets:
        out += ("%010d 00000 n \n" % offset).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)).encode()
    return out


def eml(name, source, headers, text, attachments=()):
    lines = ["X-Fixture-Source: " + source] + ["%s: %s" % h for h in headers]
    lines.append("MIME-Version: 1.0")
    boundary = "=_fixture_" + name
    if attachments:
        lines.append('Content-Type: multipart/mixed; boundary="%s"' % boundary)
        lines.append("")
        lines.append("--" + boundary)
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: 8bit")
        lines.append("")
        lines.append(text.rstrip("\n"))
        for filename, content_type, data in attachments:
            lines.append("--" + boundary)
            lines.append('Content-Type: %s; name="%s"' % (content_type, filename))
            lines.append('Content-Disposition: attachment; filename="%s"' % filename)
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            encoded = base64.b64encode(data).decode()
            lines.extend(encoded[i:i + 76] for i in range(0, len(encoded), 76))
        lines.append("--" + boundary + "--")
    else:
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: 8bit")
        lines.append("")
        lines.append(text.rstrip("\n"))
    with open(os.path.join(OUT, name + ".eml"), "w", newline="\r\n") as f:
        f.write("\n".join(lines) + "\n")


def header(sender, to, subject, date, message_id, extra=()):
    return [("From", sender), ("To", to), ("Subject", subject), ("Date", date), ("Message-ID", message_id)] + list(extra)


DT_FROM = "Liaison Statement Management Tool <statements@ietf.org>"
ITU_SG15_TABLE = [
    ["Question(s):", "14/15", "Meeting, date:", "Geneva, 9-20 November 2026"],
    ["Study Group:", "15", "Working Party:", "3"],
    ["Source:", "ITU-T Study Group 15"],
    ["Title:", "LS on the cooperative relationship for ASON routing protocol work"],
]


def main():
    os.makedirs(OUT, exist_ok=True)

    # 01 Datatracker notification, BBF, for information, three WGs.
    eml("01-datatracker-bbf-published-work", "https://datatracker.ietf.org/liaison/2083/",
        header(DT_FROM, "ippm-chairs@ietf.org, netmod-chairs@ietf.org, rtgwg-chairs@ietf.org",
               'New Liaison Statement, "Recently published Broadband Forum Work Items (November 2025)"',
               "Wed, 03 Dec 2025 16:20:00 -0800", "<f01.datatracker@ietf.org>"),
        """Title: Recently published Broadband Forum Work Items (November 2025)
Submission Date: 2025-12-03
URL of the IETF Web page: https://datatracker.ietf.org/liaison/2083/

From: Broadband Forum (BBF Liaison Officer <liaison-officer@broadband-forum.org>)
To: IP Performance Measurement (ippm-chairs@ietf.org), Network Modeling (netmod-chairs@ietf.org), Routing Area Working Group (rtgwg-chairs@ietf.org)
Cc: ippm@ietf.org, netmod@ietf.org, rtgwg@ietf.org, Liaisons at BBF <liaisons@broadband-forum.org>
Response Contacts: Liaisons at BBF <liaisons@broadband-forum.org>
Technical Contacts:
Purpose: For information

Body: The Broadband Forum is pleased to share its latest published work, available
in its online technical library.

TR-106 Amendment 6: data model template for CWMP endpoints and USP agents.
TR-181 Issue 2 Amendment 20: the Device:2 data model.

Attachments:

    No document has been attached
""")

    # 02 Datatracker notification, 3GPP CT4, for information with the 3GPP sections in the body.
    eml("02-datatracker-3gpp-user-plane", "https://datatracker.ietf.org/liaison/1590/",
        header(DT_FROM, "dmm-chairs@ietf.org, The IETF Chair <chair@ietf.org>", 'New Liaison Statement, "LS OUT on User Plane Analysis"',
               "Thu, 26 Jul 2018 05:12:00 -0700", "<f02.datatracker@ietf.org>"),
        """Title: LS OUT on User Plane Analysis
Submission Date: 2018-07-26
URL of the IETF Web page: https://datatracker.ietf.org/liaison/1590/

From: 3GPP-TSGCT-CT4 (CT4 Rapporteur <ct4-rapporteur@3gpp.org>)
To: DMM Chairs <dmm-chairs@ietf.org>, The IETF Chair <chair@ietf.org>
Cc: dmm@ietf.org, The IESG <iesg@ietf.org>, int-ads@ietf.org
Response Contacts: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
Technical Contacts: CT4 Rapporteur <ct4-rapporteur@3gpp.org>
Purpose: For information

Body: 1. Overall Description:
CT4 reviewed draft-hmm-dmm-5g-uplane-analysis-00 using the discussion paper
C4-185292 and thanks IETF DMM for the analysis. Initial feedback follows; the
evaluation criteria of the user plane protocol study are set by 3GPP CT4.

2. Actions:
To IETF DMM Group.
ACTION: CT4 kindly asks IETF DMM to take the initial feedback into account.

3. Date of Next CT and CT4 Meetings:
CT4#86  20th - 24th Aug 2018  West Palm Beach, US
CT#81   10th - 11th Sep 2018  Gold Coast, Australia

Attachments:

    C4-185491-LSOUT-IETF-GTP-U
""")

    # 03 Datatracker notification, outgoing CCAMP → SG15, for action, reply to an SG15 statement.
    eml("03-datatracker-ccamp-to-sg15", "https://datatracker.ietf.org/liaison/318/",
        header(DT_FROM, "Q14/15 Rapporteur <q14-rapporteur@itu.int>",
               'New Liaison Statement, "Cooperative Relationship between ITU-T SG15 and CCAMP"',
               "Sun, 08 Apr 2007 10:00:00 -0700", "<f03.datatracker@ietf.org>"),
        """Title: Cooperative Relationship between ITU-T SG15 and CCAMP
Submission Date: 2007-04-08
URL of the IETF Web page: https://datatracker.ietf.org/liaison/318/
Please reply by 2007-06-25

From: Common Control and Measurement Plane (CCAMP Chairs <ccamp-chairs@ietf.org>)
To: ITU-T-SG-15 (Q14/15 Rapporteur <q14-rapporteur@itu.int>)
Cc: ccamp@ietf.org, Routing ADs <rtg-ads@ietf.org>
Response Contacts: CCAMP Chairs <ccamp-chairs@ietf.org>
Technical Contacts: CCAMP Chairs <ccamp-chairs@ietf.org>
Purpose: For action

Body: The CCAMP working group thanks you for your liaison "Liaison Statement to
CCAMP responding to ccamp liaison of 21 February 2007" and responds here to the
points about the cooperative relationship between SG15 and CCAMP.
""")

    # 04 Datatracker notification as a list delivered it: Mailman tag, ITU-T SG11, TD number.
    eml("04-datatracker-list-tag-q3962", "https://mailarchive.ietf.org/arch/msg/opsawg/nPwZ-83Lw_ZbzjXkxKzC7ARN5rU/",
        header(DT_FROM, "mpls@ietf.org",
               '[mpls] New Liaison Statement, "LS on the consent of draft Recommendation ITU-T Q.3962"',
               "Mon, 16 Jun 2025 08:00:00 -0700", "<f04.datatracker@ietf.org>",
               [("List-Id", "Multi-Protocol Label Switching WG <mpls.ietf.org>"), ("Cc", "opsawg@ietf.org")]),
        """Title: LS on the consent of draft Recommendation ITU-T Q.3962
Submission Date: 2025-06-16
URL of the IETF Web page: https://datatracker.ietf.org/liaison/1999/

From: ITU-T-SG-11 (SG11 Secretariat <tsbsg11@itu.int>)
To: MPLS Chairs <mpls-chairs@ietf.org>, OPSAWG Chairs <opsawg-chairs@ietf.org>
Cc: mpls@ietf.org, opsawg@ietf.org
Response Contacts: SG11 Secretariat <tsbsg11@itu.int>
Technical Contacts: Q15/11 Rapporteur <q15-11-rapporteur@itu.int>
Purpose: For information

Body: ITU-T SG11 informs the IETF that draft Recommendation Q.3962 was consented
at its meeting (see TD 456 (GEN/11)). The text is attached for information.
""")

    # 05 Datatracker notification of a 3GPP reply, with the referenced liaison.
    eml("05-datatracker-3gpp-reply-referenced", "https://datatracker.ietf.org/liaison/1528/",
        header(DT_FROM, "The IETF Chair <chair@ietf.org>",
               'New Liaison Statement, "Reply LS to liaison statement on requesting support for defining next generation protocols"',
               "Thu, 15 Jun 2017 06:00:00 -0700", "<f05.datatracker@ietf.org>"),
        """Title: Reply LS to liaison statement on requesting support for defining next generation protocols
Submission Date: 2017-06-15
URL of the IETF Web page: https://datatracker.ietf.org/liaison/1528/

From: 3GPP-TSG-SA (TSG SA Chair <sa-chair@3gpp.org>)
To: The IETF Chair <chair@ietf.org>
Cc: The IESG <iesg@ietf.org>
Response Contacts: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
Technical Contacts:
Purpose: In response

Referenced liaison: LS on requesting support for defining next generation protocols (https://datatracker.ietf.org/liaison/1510/)

Body: 3GPP TSG SA thanks ETSI ISG NGP for their LS on requesting support for
defining next generation protocols (SP-170579). Adaptations to existing protocols
are in scope of the Rel-15/Rel-16 studies; completely new protocols are not.
""")

    # 06 Datatracker notification, ITU-T SG17 for action to the IAB and IESG, action holder contacts.
    eml("06-datatracker-sg17-action-holders", "https://datatracker.ietf.org/liaison/2106/",
        header(DT_FROM, "The IESG <iesg@ietf.org>, The IAB Chair <iab-chair@iab.org>",
               'New Liaison Statement, "LS on the progress of the Correspondence Group on SG17 Strategy for AI Security (CG-AISEC-STRAT)"',
               "Fri, 30 Jan 2026 07:00:00 -0800", "<f06.datatracker@ietf.org>"),
        """Title: LS on the progress of the Correspondence Group on SG17 Strategy for AI Security (CG-AISEC-STRAT)
Submission Date: 2026-01-30
URL of the IETF Web page: https://datatracker.ietf.org/liaison/2106/
Please reply by 2026-03-09

From: ITU-T-SG-17 (SG17 Secretariat <tsbsg17@itu.int>)
To: The IESG <iesg@ietf.org>, The IAB Chair <iab-chair@iab.org>
Cc: The IETF Chair <chair@ietf.org>, The IAB <iab@iab.org>
Response Contacts: CG convenor <cg-aisec-convenor@itu.int>; SG17 Secretariat <tsbsg17@itu.int>
Technical Contacts: CG convenor <cg-aisec-convenor@itu.int>
Action Holder Contacts: IETF liaison to ITU-T <itu-t-liaison@iab.org>
Purpose: For action

Body: ITU-T Study Group 17 informs the IAB and IESG that its April 2025 meeting
started a Correspondence Group on an SG17 strategy for AI security. Its draft
deliverable is attached; comments are welcome by the deadline.
""")

    # 07 ITU-T LS header as plain text in the mail body (for action to CCAMP, information to MPLS).
    eml("07-itu-header-in-body", "https://datatracker.ietf.org/liaison/339/",
        header("SG15 Rapporteur Q14/15 <q14-rapporteur@itu.int>", "statements@ietf.org",
               "LS on the cooperative relationship for ASON routing protocol work", "Tue, 26 Jun 2007 10:00:00 +0200",
               "<f07.sg15@itu.int>"),
        """INTERNATIONAL TELECOMMUNICATION UNION                    SG15-LS54
TELECOMMUNICATION STANDARDIZATION SECTOR

Question(s): 14/15
Study Group: 15
Working Party: 3
Source: ITU-T Study Group 15
Title: LS on the cooperative relationship for ASON routing protocol work

LIAISON STATEMENT
For action to: IETF CCAMP WG
For information to: IETF MPLS WG
Approval: Agreed to at the Q14/15 rapporteur meeting
Deadline: 15 September 2007
Contact: Q14/15 Rapporteur <q14-rapporteur@itu.int>

Q14/15 thanks CCAMP for its liaison response "Cooperative Relationship between
ITU-T SG15 and CCAMP" and asks CCAMP to complete the routing protocol extensions
that the ASON routing requirements of G.7715.1 need.
""")

    # 08 ITU-T header with a deadline that is no date → needs triage.
    eml("08-itu-deadline-before-meeting", "https://datatracker.ietf.org/liaison/339/",
        header("SG15 Rapporteur Q14/15 <q14-rapporteur@itu.int>", "statements@ietf.org",
               "LS on ASON routing protocol extensions", "Mon, 02 Jul 2007 10:00:00 +0200", "<f08.sg15@itu.int>"),
        """Question(s): 14/15
Study Group: 15
Source: ITU-T Study Group 15
Title: LS on ASON routing protocol extensions
For action to: IETF CCAMP WG
Approval: Agreed to at the Q14/15 rapporteur meeting
Deadline: before the next SG15 meeting in Geneva
Contact: Q14/15 Rapporteur <q14-rapporteur@itu.int>

Q14/15 asks CCAMP for a status report on the ASON routing protocol extensions.
""")

    # 09 ITU-T LS as a .docx attachment with the header table.
    itu_docx = docx([
        ITU_SG15_TABLE,
        "LIAISON STATEMENT",
        [["For action to:", "IETF CCAMP, IETF TEAS"], ["For comment to:", "-"], ["For information to:", "IETF MPLS"],
         ["Approval:", "Agreed to at Study Group 15 meeting (Geneva, 20 November 2026)"], ["Deadline:", "15 January 2027"],
         ["Contact:", "A. Rapporteur\nExample Networks\nSwitzerland", "E-mail: a.rapporteur@example.com"]],
        "Q14/15 thanks CCAMP for the liaison on the cooperative relationship between our groups.",
        "We ask CCAMP and TEAS to review the ASON routing requirements and reply by the deadline.",
    ])
    eml("09-itu-docx-header-table", "https://datatracker.ietf.org/liaison/339/",
        header("ITU-T SG15 Secretariat <tsbsg15@itu.int>", "statements@ietf.org",
               "LS from ITU-T SG15 to IETF CCAMP and TEAS (SG15-LS60)", "Fri, 20 Nov 2026 12:00:00 +0100",
               "<f09.sg15@itu.int>"),
        """Dear colleagues,

Please find attached a liaison statement from ITU-T Study Group 15.

Best regards,
SG15 Secretariat
""", [("SG15-LS60.docx", DOCX, itu_docx)])

    # 10 ITU-T SG17 LS as .docx with a fuzzy deadline (mid-May) and a response-to.
    sg17_docx = docx([
        [["Question(s):", "2/17", "Meeting, date:", "Geneva, 2-11 December 2026"], ["Study Group:", "17", "Working Party:", "1"],
         ["Source:", "ITU-T Study Group 17"], ["Title:", "Reply LS on AI security standardization strategy"]],
        "LIAISON STATEMENT",
        [["For comment to:", "IAB, IESG"], ["Approval:", "Study Group 17 meeting"], ["Deadline:", "mid-May 2027"],
         ["Contact:", "SG17 Secretariat", "E-mail: tsbsg17@itu.int"]],
        'SG17 thanks the IAB for its reply to our LS "LS on the progress of the Correspondence Group on SG17 Strategy for AI Security" (SG17-LS12).',
        "SG17 invites comments on the updated draft deliverable.",
    ])
    eml("10-itu-docx-mid-may", "https://datatracker.ietf.org/liaison/2106/",
        header("ITU-T SG17 Secretariat <tsbsg17@itu.int>", "statements@ietf.org", "Liaison statement: Reply LS on AI security standardization strategy",
               "Fri, 11 Dec 2026 15:00:00 +0100", "<f10.sg17@itu.int>"),
        "Dear colleagues,\n\nThe attached LS is sent to you for comment.\n\nKind regards,\nSG17 Secretariat\n",
        [("sp25-sg17-oLS-00031.docx", DOCX, sg17_docx)])

    # 11 3GPP LS as a zipped .docx (the way 3GPP distributes Tdocs).
    ct4_docx = docx([
        "3GPP TSG-CT WG4 Meeting #86\tC4-185491",
        "Montreal, Canada, 16th - 20th July 2018",
        "Title:\tLS OUT on User Plane Analysis",
        "Response to:\t-",
        "Release:\tRel-16",
        "Work Item:\tFS_UPPS",
        "Source:\tCT4",
        "To:\tIETF DMM",
        "Cc:\t-",
        "Contact Person:",
        "Name:\tCT4 Rapporteur",
        "E-mail Address:\tct4-rapporteur@3gpp.org",
        "Send any reply LS to:\t3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org",
        "Attachments:\tNone",
        "1. Overall Description:",
        "CT4 reviewed draft-hmm-dmm-5g-uplane-analysis-00 and thanks IETF DMM for the analysis.",
        "2. Actions:",
        "To IETF DMM group.",
        "ACTION:\tCT4 kindly requests IETF DMM to take the above feedback into account.",
        "3. Date of Next TSG-CT4 Meetings:",
        "CT4#86\t20th - 24th Aug 2018\tWest Palm Beach, US",
        "CT4#86bis\t15th - 19th Oct 2018\tVilnius, Lithuania",
    ])
    eml("11-3gpp-zipped-docx", "https://datatracker.ietf.org/liaison/1590/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "LS OUT on User Plane Analysis (C4-185491)",
               "Thu, 26 Jul 2018 11:00:00 +0200", "<f11.3gpp@etsi.org>"),
        "Dear IETF colleagues,\n\nPlease find attached an LS from 3GPP TSG CT WG4.\n\nBest regards,\n3GPP Liaisons Coordinator\n",
        [("C4-185491.zip", "application/zip", zip_bytes([("C4-185491-LSOUT-IETF-GTP-U.docx", ct4_docx)]))])

    # 12 3GPP LS template in the mail body, with Response to, two action groups and next meetings.
    eml("12-3gpp-template-in-body", "https://whatthespec.net/3gpp/tdoc.php?ainumber=6&api=1&meeting=C3-117-e",
        header("CT4 Rapporteur <ct4-rapporteur@3gpp.org>", "statements@ietf.org", "Reply LS on Clarification on the API design principles",
               "Mon, 25 Oct 2021 10:00:00 +0200", "<f12.3gpp@3gpp.org>"),
        """3GPP TSG-CT WG4 Meeting #106-e                          C4-214365
Title: Reply LS on Clarification on the API design principles
Response to: LS (C3-213062) on Clarification on the API design principles
Release: Rel-17
Work Item: TEI17
Source: CT4
To: IETF HTTPAPI, CT3
Cc: SA3
Contact Person:
   Name: CT4 Rapporteur
   E-mail Address: ct4-rapporteur@3gpp.org
Send any reply LS to: 3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org

1. Overall Description:
CT4 answers the questions on HTTP methods for custom operations: GET or a custom
POST depends on whether the request is safe and idempotent.

2. Actions:
To IETF HTTPAPI group.
ACTION: CT4 asks IETF HTTPAPI to take these answers into account.
To CT3.
ACTION: CT4 asks CT3 to align TS 29.501 examples.

3. Date of Next TSG-CT4 Meetings:
CT4#107-e  17th - 21st January 2022  Electronic meeting
""")

    # 13 3GPP reply LS as a plain .docx (not zipped), for information, Actions: None.
    sa_docx = docx([
        "3GPP TSG SA Meeting #76\tSP-170579",
        "Title:\tReply LS to liaison statement on requesting support for defining next generation protocols",
        "Response to:\tLS from ETSI ISG NGP on requesting support for defining next generation protocols",
        "Source:\tTSG SA",
        "To:\tETSI ISG NGP, IETF",
        "Contact Person:",
        "Name:\tTSG SA Chair",
        "E-mail Address:\tsa-chair@3gpp.org",
        "Send any reply LS to:\t3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org",
        "1. Overall Description:",
        "3GPP TSG SA thanks ETSI ISG NGP for their liaison statement. New protocols are out of scope of Rel-15 and Rel-16.",
        "2. Actions:",
        "None.",
        "3. Date of Next TSG SA Meetings:",
        "SA#77\t11th - 14th Sep 2017\tSapporo, Japan",
    ])
    eml("13-3gpp-docx-reply", "https://datatracker.ietf.org/liaison/1528/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "Reply LS on next generation protocols (SP-170579)",
               "Thu, 15 Jun 2017 09:00:00 +0200", "<f13.3gpp@etsi.org>"),
        "Please find attached SP-170579.\n",
        [("SP-170579.docx", DOCX, sa_docx)])

    # 14 Broadband Forum letter in the body, LIAISE number, end-of-month deadline.
    eml("14-bbf-letter-end-of-month", "https://wiki.ietf.org/group/iab/BBF_liaison_relationship",
        header("Liaisons at BBF <liaisons@broadband-forum.org>", "statements@ietf.org",
               "LIAISE-420: Alignment of TR-181 and IETF YANG models", "Fri, 20 Nov 2026 15:00:00 +0000", "<f14.bbf@broadband-forum.org>"),
        """Broadband Forum Liaison Statement
Liaison number: LIAISE-420
Title: Alignment of TR-181 and IETF YANG models for home networks
From: Broadband Forum Technical Committee
To: IETF OPSAWG and NETMOD working groups
Purpose: For comment
Please reply by the end of March 2027.
Contacts: BBF TC Chair <tc-chair@broadband-forum.org>

The Broadband Forum is aligning the TR-181 Device:2 data model with the IETF YANG
modules for interfaces and asks OPSAWG and NETMOD to comment on the mapping.
""")

    # 15 Broadband Forum statement as a PDF attachment (pdftotext).
    bbf_pdf = pdf([
        "Broadband Forum Liaison Statement LIAISE-431",
        "Title: Published TR-398 Issue 4 Wi-Fi performance testing",
        "From: Broadband Forum Technical Committee",
        "To: IETF IPPM WG",
        "Purpose: For information",
        "Contact: Liaisons at BBF <liaisons@broadband-forum.org>",
        "The Broadband Forum informs IPPM that TR-398 Issue 4 is published.",
    ])
    eml("15-bbf-pdf", "https://datatracker.ietf.org/liaison/2083/",
        header("Liaisons at BBF <liaisons@broadband-forum.org>", "statements@ietf.org", "Liaison: Published TR-398 Issue 4",
               "Mon, 23 Nov 2026 09:00:00 +0000", "<f15.bbf@broadband-forum.org>"),
        "Please see the attached liaison.\n", [("LIAISE-431.pdf", "application/pdf", bbf_pdf)])

    # 16 IEEE 802.1 letter: subject, prose purpose, US date, signature block.
    eml("16-ieee-8021-letter", "https://1.ieee802.org/liaisons/",
        header("IEEE 802.1 WG Chair <p8021-chair@ieee.org>", "detnet-chairs@ietf.org, statements@ietf.org",
               "IEEE 802.1 liaison to IETF DetNet on TSN YANG models", "Fri, 20 Nov 2026 18:00:00 -0500", "<f16.ieee@ieee.org>"),
        """Dear DetNet chairs,

IEEE 802.1 has completed the TSN YANG models of P802.1Qcw and would welcome your
comments on their use by DetNet, in particular the stream identification model.

Please respond by January 15, 2027.

Sincerely,

J. Doe
Chair, IEEE 802.1 Working Group
p8021-chair@ieee.org
""")

    # 17 IEEE 802.11 liaison as an HTML attachment with a header table.
    html = b"""<html><head><title>IEEE 802.11 liaison</title><style>td {padding: 2px}</style></head><body>
<table>
<tr><td>Title:</td><td>LS on IEEE 802.11u requirements for network selection</td></tr>
<tr><td>From:</td><td>IEEE 802.11 Working Group</td></tr>
<tr><td>To:</td><td>IETF EMU WG</td></tr>
<tr><td>Purpose:</td><td>For comment</td></tr>
<tr><td>Deadline:</td><td>15.01.2027</td></tr>
<tr><td>Contact:</td><td>IEEE 802.11 Chair &lt;p80211-chair@ieee.org&gt;</td></tr>
</table>
<p>IEEE 802.11 TGu asks EMU to comment on the EAP requirements&nbsp;for interworking with external networks.</p>
</body></html>"""
    eml("17-ieee-80211-html", "https://www.iab.org/liaisons/liaison-mgr-reports/ieee/2005-09-ieee802-liaison-report/",
        header("IEEE 802.11 Chair <p80211-chair@ieee.org>", "statements@ietf.org", "IEEE 802.11 liaison: 802.11u requirements",
               "Fri, 20 Nov 2026 20:00:00 -0500", "<f17.ieee@ieee.org>"),
        "Attached is a liaison from IEEE 802.11 to the IETF EMU working group.\n",
        [("80211u-liaison.html", "text/html", html)])

    # 18 Free-form "LS on …" mail, prose purpose and a dotted date.
    eml("18-free-ls-on-dotted-date", "https://datatracker.ietf.org/liaison/339/",
        header("Q14/15 Rapporteur <q14-rapporteur@itu.int>", "statements@ietf.org", "LS on OTN YANG model alignment",
               "Fri, 20 Nov 2026 10:00:00 +0100", "<f18.sg15@itu.int>"),
        """Dear CCAMP chairs,

Q14/15 has updated its OTN information model and sends this statement to the
IETF CCAMP WG for action: please check the alignment of the CCAMP OTN YANG
modules with it. Please reply by 15.01.2027.

Best regards,
Q14/15 Rapporteur
""")

    # 19 Free-form reply with In-Reply-To/References and an identifier of the answered LS.
    eml("19-free-reply-ls", "https://datatracker.ietf.org/liaison/318/",
        header("Q14/15 Rapporteur <q14-rapporteur@itu.int>", "statements@ietf.org, ccamp@ietf.org",
               "Re: Reply LS on ASON routing protocol cooperation", "Fri, 20 Nov 2026 11:00:00 +0100", "<f19.sg15@itu.int>",
               [("In-Reply-To", "<f07.sg15@itu.int>"), ("References", "<f07.sg15@itu.int>")]),
        """Dear colleagues,

In response to your liaison SG15-LS54, Q14/15 confirms the plan for the ASON
routing protocol extensions and thanks CCAMP for its review.

Regards,
Q14/15 Rapporteur
""")

    # 20 "Liaison statement:" subject, slash date, signature with address; sender domain → organization.
    eml("20-free-liaison-statement-colon", "https://datatracker.ietf.org/liaison/2083/",
        header("BBF Liaison Officer <liaison-officer@broadband-forum.org>", "statements@ietf.org",
               "Liaison statement: TR-181 Device:2 data model update", "Fri, 20 Nov 2026 12:00:00 +0000", "<f20.bbf@broadband-forum.org>"),
        """Hello,

To: IETF NETMOD WG

The Broadband Forum asks NETMOD for comment on the TR-181 Device:2 update
(LIAISE-425). Deadline: 15/01/2027.

Kind regards,
BBF Liaison Officer
Liaison Officer, Broadband Forum
liaison-officer@broadband-forum.org
""")

    # 21 Statement as a .txt attachment, empty cover body.
    txt = """Title: LS on IPv6 transition for 5G user plane
From: 3GPP TSG CT
To: IETF DMM
Purpose: For information
Contact: CT4 Rapporteur <ct4-rapporteur@3gpp.org>

3GPP informs DMM about the IPv6 transition work for the 5G user plane.
""".encode()
    eml("21-txt-attachment", "https://datatracker.ietf.org/liaison/1590/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "LS on IPv6 transition for 5G user plane",
               "Fri, 20 Nov 2026 13:00:00 +0100", "<f21.3gpp@etsi.org>"),
        "", [("C4-186001.txt", "text/plain", txt)])

    # 22 For action without any deadline → needs triage.
    eml("22-free-action-no-deadline", "https://datatracker.ietf.org/liaison/2106/",
        header("SG17 Secretariat <tsbsg17@itu.int>", "statements@ietf.org", "LS on quantum-safe key exchange in IETF protocols",
               "Fri, 20 Nov 2026 14:00:00 +0100", "<f22.sg17@itu.int>"),
        """Dear colleagues,

To: IETF IESG
For action: SG17 asks the IETF to share its plans for quantum-safe key exchange.

Best regards,
SG17 Secretariat
""")

    # 23 Forwarded statement: the forwarded header block carries the title.
    eml("23-forwarded-statement", "https://datatracker.ietf.org/liaison/1528/",
        header("IETF Secretariat <statements@ietf.org>", "3gpp-liaison@iab.org", "Fwd: next generation protocols",
               "Fri, 20 Nov 2026 15:00:00 -0800", "<f23.secretariat@ietf.org>"),
        """Forwarding for upload.

---------- Forwarded message ---------
From: TSG SA Chair <sa-chair@3gpp.org>
Date: Thu, 15 Jun 2017
Subject: Reply LS on requesting support for defining next generation protocols
To: The IETF Chair <chair@ietf.org>

For information: 3GPP TSG SA summarises the outcome of its discussion of
next generation protocols (SP-170579).
""")

    # 24 Hostile: a truncated ZIP.
    whole = zip_bytes([("C4-189999.docx", ct4_docx)])
    eml("24-hostile-truncated-zip", "https://datatracker.ietf.org/liaison/1590/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "LS on user plane follow-up (C4-189999)",
               "Fri, 20 Nov 2026 16:00:00 +0100", "<f24.3gpp@etsi.org>"),
        "To: IETF DMM\nFor information.\n",
        [("C4-189999.zip", "application/zip", whole[: len(whole) // 2])])

    # 25 Hostile: a zip bomb (16 MiB of zeros in 16 kilobytes, a ratio near 1000:1).
    bomb = zip_bytes([("C4-180000.docx", b"\0" * (16 << 20))])
    eml("25-hostile-zip-bomb", "https://datatracker.ietf.org/liaison/1590/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "LS on user plane (C4-180000)",
               "Fri, 20 Nov 2026 16:10:00 +0100", "<f25.3gpp@etsi.org>"),
        "To: IETF DMM\nFor information.\n",
        [("C4-180000.zip", "application/zip", bomb)])

    # 26 Hostile: a .docx with no text.
    eml("26-hostile-docx-no-text", "https://datatracker.ietf.org/liaison/339/",
        header("ITU-T SG15 Secretariat <tsbsg15@itu.int>", "statements@ietf.org", "LS on OTN management (SG15-LS61)",
               "Fri, 20 Nov 2026 16:20:00 +0100", "<f26.sg15@itu.int>"),
        "To: IETF CCAMP WG\nFor information.\n",
        [("SG15-LS61.docx", DOCX, docx([""]))])

    # 27 A Word 97-2003 .doc: reported unread.
    ole = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 504
    eml("27-doc-unread", "https://datatracker.ietf.org/liaison/339/",
        header("ITU-T SG15 Secretariat <tsbsg15@itu.int>", "statements@ietf.org", "LS on OTN management (SG15-LS62)",
               "Fri, 20 Nov 2026 16:30:00 +0100", "<f27.sg15@itu.int>"),
        "To: IETF CCAMP WG\nFor information.\n",
        [("SG15-LS62.doc", "application/msword", ole)])

    # 28 A zip in a zip in a zip: the third level is not opened.
    inner = zip_bytes([("C4-187777.docx", ct4_docx)])
    middle = zip_bytes([("level2.zip", inner)])
    outer = zip_bytes([("level1.zip", middle)])
    eml("28-hostile-nested-zip", "https://datatracker.ietf.org/liaison/1590/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "LS on user plane (C4-187777)",
               "Fri, 20 Nov 2026 16:40:00 +0100", "<f28.3gpp@etsi.org>"),
        "To: IETF DMM\nFor information.\n",
        [("C4-187777.zip", "application/zip", outer)])

    # 29 Hostile: a zip whose headers claim 1 KiB for an entry that expands to 8 MiB.
    lying = bytearray(zip_bytes([("C4-181111.docx", b"\0" * (8 << 20))]))
    local = lying.find(b"PK\x03\x04")
    lying[local + 22:local + 26] = (1024).to_bytes(4, "little")
    central = lying.find(b"PK\x01\x02")
    lying[central + 24:central + 28] = (1024).to_bytes(4, "little")
    eml("29-hostile-lying-sizes", "https://datatracker.ietf.org/liaison/1590/",
        header("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "statements@ietf.org", "LS on user plane (C4-181111)",
               "Fri, 20 Nov 2026 16:50:00 +0100", "<f29.3gpp@etsi.org>"),
        "To: IETF DMM\nFor information.\n",
        [("C4-181111.zip", "application/zip", bytes(lying))])

    # 30 Hostile: a .docx whose document.xml declares entities that expand exponentially.
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "hahahahahahahahahaha">'
              + "".join('<!ENTITY %s "%s">' % (chr(98 + i), ("&%s;" % chr(97 + i)) * 10) for i in range(8))
              + ']><w:document %s><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>' % W)
    laughs_docx = zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", laughs)])
    eml("30-hostile-entity-expansion", "https://datatracker.ietf.org/liaison/339/",
        header("ITU-T SG15 Secretariat <tsbsg15@itu.int>", "statements@ietf.org", "LS on OTN management (SG15-LS63)",
               "Fri, 20 Nov 2026 17:00:00 +0100", "<f30.sg15@itu.int>"),
        "To: IETF CCAMP WG\nFor information.\n",
        [("SG15-LS63.docx", DOCX, laughs_docx)])

    # 31 Datatracker notification in its 2025 form: contacts only, no group names; the WG list in Cc.
    eml("31-datatracker-2025-contacts-only", "https://www.mail-archive.com/netmod@ietf.org/msg16308.html",
        header(DT_FROM, "A. Chair <a.chair@example.net>, B. Chair <b.chair@example.org>",
               'New Liaison Statement, "LS on the use of YANG semantic versioning in TR-181 and TR-383"',
               "Fri, 14 Mar 2025 08:00:00 -0700", "<f31.datatracker@ietf.org>"),
        """Title: LS on the use of YANG semantic versioning in TR-181 and TR-383
Submission Date: 2025-03-14
URL of the IETF Web page: https://datatracker.ietf.org/liaison/2006/
Please reply by 2025-05-30

From: Liaison Officer <liaison-officer@example.edu>
To: A. Chair <a.chair@example.net>, B. Chair <b.chair@example.org>
Cc: Network Modeling Discussion List <netmod@ietf.org>, Operations ADs <ops-ads@ietf.org>, Liaisons at BBF <liaisons@broadband-forum.org>
Response Contacts: Liaisons at BBF <liaisons@broadband-forum.org>
Technical Contacts: Liaison Officer <liaison-officer@example.edu>
Purpose: For action

Body: The Broadband Forum (LIAISE-460) plans to adopt YANG semantic versioning for
its TR-181 and TR-383 modules and asks NETMOD to comment on the plan.

Attachments:

    No document has been attached
""")


if __name__ == "__main__":
    main()
