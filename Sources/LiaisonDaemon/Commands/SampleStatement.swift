import Foundation
import LiaisonCore
import MIME

/// A made-up statement that `check-config` renders every template with, so a template error
/// shows before the first real statement arrives.
enum SampleStatement {
    /// Renders every template once for a sample statement, and once more as from each of
    /// `organizations` (those with templates of their own).
    static func renderAll(configuration: Configuration, templates: any TemplateRendering, organizations: [String] = []) throws {
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
        let built = try processor.statementRecord(
            message: message, statement: statement, noAcknowledgementReason: nil,
            reference: StatementReference(prefix: configuration.intake.referencePrefix, year: 2099, number: 1),
            location: location, sha256: SHA256.hex(of: raw), now: now)
        // Every template about a statement, as the sample's and as each organization's own.
        if var record = built.statement {
            for organization in [nil] + organizations {
                record.statement.fromOrganization = organization
                for name in OutgoingMailFactory.statementTemplates {
                    _ = try Liaison.preview(name, for: record, original: message, configuration: configuration, factory: processor.mail, now: now)
                }
            }
        }
        _ = try processor.mail.quarantineNotice(reason: "sample", original: message, location: location, sha256: "0", now: now)
    }
}
