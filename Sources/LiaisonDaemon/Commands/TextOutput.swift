import Foundation
import LiaisonCore

/// The human-readable form of an extracted statement (`liaison parse` without `--json`).
enum StatementText {
    static func render(_ statement: Statement) -> String {
        func join(_ contacts: [Contact]) -> String { contacts.map(\.description).joined(separator: ", ") }
        var lines: [String] = []
        func add(_ label: String, _ value: String?, _ field: StatementField? = nil) {
            guard let value, !value.isEmpty else { return }
            let source = field.flatMap { statement.sources[$0] }.map { "  [\($0)]" } ?? ""
            lines.append("\(label.padding(toLength: 20, withPad: " ", startingAt: 0))\(value)\(source)")
        }
        add("Layout:", statement.layout.rawValue)
        add("Title:", statement.title, .title)
        add("From:", statement.fromOrganization, .from)
        add("From groups:", statement.fromGroups.joined(separator: ", "))
        add("From contact:", join(statement.fromContacts), .fromContact)
        add("To groups:", statement.toGroups.joined(separator: ", "), .to)
        add("To contacts:", join(statement.toContacts))
        add("Cc:", join(statement.ccContacts), .cc)
        add("Response contacts:", join(statement.responseContacts), .responseContacts)
        add("Technical contacts:", join(statement.technicalContacts), .technicalContacts)
        add("Purpose:", statement.purpose?.description, .purpose)
        add("Deadline:", statement.deadline?.description, .deadline)
        add("Action holders:", statement.actionHolders.joined(separator: ", "), .actionHolders)
        add("Identifiers:", statement.identifiers.joined(separator: ", "), .identifiers)
        add("In response to:", statement.inResponseTo.map { "\($0.kind.rawValue) \($0.value)" }.joined(separator: "; "), .inResponseTo)
        for attachment in statement.attachments {
            add("Attachment:", "\(attachment.filename) (\(attachment.contentType), \(attachment.size) bytes)")
        }
        for reason in statement.triageReasons { add("Triage:", reason.description) }
        add("Sender:", statement.senderAuthentication?.description)
        add("State:", statement.needsTriage ? "needs-triage (missing: \(statement.missing.map(\.description).joined(separator: ", ")))" : "complete")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The human-readable report of `liaison poll --once`.
enum PollReportText {
    static func render(_ report: PollReport, reminders: [PlannedReminder] = [], outbox: OutboxDispatcher.Summary) -> String {
        var lines = ["mailbox \(report.mailbox) (UIDVALIDITY \(report.uidValidity)): \(report.newUIDs.count) new"]
        if report.uidValidityChanged { lines.append("UIDVALIDITY changed: known messages were matched by content") }
        for outcome in report.outcomes {
            switch outcome {
            case .recorded(let uid, let reference, let state): lines.append("UID \(uid): recorded \(reference) (\(state.rawValue))")
            case .quarantined(let uid, let reason): lines.append("UID \(uid): quarantined: \(reason)")
            case .duplicate(let uid): lines.append("UID \(uid): already recorded, moved")
            case .vanished(let uid): lines.append("UID \(uid): vanished before it could be read")
            case .reply(let uid, let reference): lines.append("UID \(uid): reply about \(reference)")
            case .report(let uid, let reference, let summary): lines.append("UID \(uid): report about \(reference): \(summary)")
            }
        }
        lines += report.warnings.map { "warning: \($0)" }
        lines += reminders.map { "reminder: \($0.reference) \($0.kind)" }
        lines.append(
            "outbox: \(outbox.attempted) messages sent, \(outbox.delivered) recipients delivered, "
                + "\(outbox.deferred) deferred, \(outbox.failed) failed")
        return lines.joined(separator: "\n") + "\n"
    }
}
