import Foundation
public import MIME

extension IntakeProcessor {
    /// Builds the record of a delivery or disposition report (DSN, MDN, ARF) or a bounce.
    ///
    /// A report about a statement's mail is stored with that statement (`report` disposition)
    /// and leaves a `delivery-report` event. Recipients of Liaison's own mail that it says failed
    /// for good are marked failed in the outbox, and the liaison manager gets the delivery-failure
    /// notice — unless the failed mail was itself a notice to the liaison manager, only the
    /// liaison manager's address failed, or the recipient was already known to have failed
    /// (never a notice about a notice, never twice). A report about mail of Liaison's that
    /// concerns no statement (a notice) is quarantined without a notice; a report about nothing
    /// known is quarantined with the usual notice. Reports are never acknowledged and never
    /// become statements.
    ///
    /// - Parameter target: what the report was found to be about (see ``MailboxPoller``), or `nil`.
    public func reportRecord(
        message: MIMEMessage,
        report: DeliveryReport,
        target: ReportTarget?,
        location: ServerLocation,
        sha256: String,
        now: Date
    ) -> IntakeRecord {
        guard let target else {
            let ids = report.originalMessageIDs.prefix(3).map { "<\($0)>" }.joined(separator: ", ")
            let about = ids.isEmpty ? "it names no original Message-ID and no known reference" : "original Message-ID \(ids)"
            let reason = "delivery or disposition report (\(report.reportType)) about no message Liaison knows: \(about); \(report.summary)"
            return quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now)
        }

        var report = report
        var bounced: [BouncedRecipient] = []
        var failures: [RecipientResult] = []
        var sentMessage: OutgoingMessage?
        let about: String
        switch target {
        case .sent(let sent):
            sentMessage = sent.message
            report = report.resolved(against: target)
            (bounced, failures) = Self.failures(in: report, of: sent)
            about = "the \(sent.message.kind.rawValue) <\(sent.message.messageID)>"
        case .statement(_, let clue):
            about = clue
        }

        guard let reference = target.statement else {
            // Mail of Liaison's about no statement: a notice to the liaison manager bounced.
            // Telling the liaison manager again could only loop.
            let reason = "\(report.kind.label) about \(about), which concerns no statement: \(report.summary)"
            var record = quarantineRecord(message: message, reason: reason, location: location, sha256: sha256, now: now)
            record.outgoing = []
            record.bouncedRecipients = bounced
            return record
        }

        var events = [StatementEvent(kind: "delivery-report", detail: "\(report.summary) (about \(about))", at: now)]
        var outgoing: [OutgoingMessage] = []
        if let sentMessage, !failures.isEmpty {
            let manager = settings.liaisonManager.address.lowercased()
            if sentMessage.kind == .deliveryFailure || sentMessage.kind == .quarantineNotice {
                events.append(StatementEvent(kind: "no-notice", detail: "no delivery-failure notice: the failed mail was a notice itself", at: now))
            } else if failures.allSatisfy({ $0.address.lowercased() == manager }) {
                events.append(StatementEvent(kind: "no-notice", detail: "no delivery-failure notice: the liaison manager's own address failed", at: now))
            } else if let notice = try? mail.deliveryFailureNotice(about: sentMessage, failures: failures, now: now) {
                outgoing.append(notice)
                events.append(
                    StatementEvent(kind: "failure-notice", detail: "delivery-failure notice to \(settings.liaisonManager.address)", at: now))
            }
        }
        return IntakeRecord(
            location: location,
            raw: message.bytes,
            sha256: sha256,
            messageID: message.messageID,
            receivedAt: now,
            disposition: .report(reference),
            statement: nil,
            events: events,
            outgoing: outgoing,
            destination: settings.processedFolder,
            bouncedRecipients: bounced
        )
    }

    /// The outbox recipients to mark failed and the failures to report, leaving out recipients
    /// already known to have failed.
    static func failures(in report: DeliveryReport, of sent: SentMessage) -> (bounced: [BouncedRecipient], failures: [RecipientResult]) {
        let recipients = sent.message.envelope.recipients
        let entries = report.entries
        var bounced: [BouncedRecipient] = []
        var failures: [RecipientResult] = []
        for entry in entries where entry.isPermanentFailure {
            // Original-Recipient is the address Liaison gave; Final-Recipient may be an expansion.
            let candidates = [entry.originalRecipient, entry.recipient].compactMap { $0?.lowercased() }
            let match = recipients.first { candidates.contains($0.lowercased()) }
            let address = match ?? entry.recipient ?? "(recipient not named in the report)"
            // Known failures (and a recipient named twice) are reported once.
            guard !sent.failedRecipients.contains(address.lowercased()),
                !failures.contains(where: { $0.address.lowercased() == address.lowercased() })
            else { continue }
            let said = [entry.status, entry.diagnostic].compactMap(\.self).joined(separator: " ")
            let detail = "bounced (\(report.kind.label))" + (said.isEmpty ? "" : ": \(said)")
            if let match {
                bounced.append(BouncedRecipient(messageID: sent.message.messageID, address: match, code: entry.replyCode, detail: detail))
            }
            failures.append(RecipientResult(address: address, outcome: .permanentFailure, code: entry.replyCode ?? 0, detail: detail))
        }
        return (bounced, failures)
    }
}
