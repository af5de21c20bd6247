import Foundation
import LiaisonCore
import MIME

/// A made-up statement that `check-config` renders every template with, so a template error
/// shows before the first real statement arrives.
enum SampleStatement {
    static func renderAll(configuration: Configuration, templates: any TemplateRendering) throws {
        let raw = Array(
            """
            From: Sample Sender <sender@example.org>\r
            To: \(configuration.intake.serviceAddress.address)\r
            Subject: LS on configuration checks\r
            Message-ID: <sample@example.org>\r
            \r
            For action. Please reply by 2099-01-31.\r

            """.utf8)
        let processor = Runtime.processor(for: configuration, templates: templates)
        let message = MIMEMessage(bytes: raw)
        let statement = processor.extractor.extract(from: message)
        let now = Date(timeIntervalSince1970: 4_070_908_800)
        let location = ServerLocation(mailbox: configuration.imap.mailbox, uidValidity: 1, uid: 1)
        _ = try processor.statementRecord(
            message: message, statement: statement, noAcknowledgementReason: nil,
            reference: StatementReference(prefix: configuration.intake.referencePrefix, year: 2099, number: 1),
            location: location, sha256: SHA256.hex(of: raw), now: now)
        _ = try processor.mail.quarantineNotice(reason: "sample", original: message, location: location, sha256: "0", now: now)
    }
}
