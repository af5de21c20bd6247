import Foundation
import LiaisonCore
import LiaisonStore

/// `/metrics` in the Prometheus text exposition format (version 0.0.4), written by hand.
///
/// Counts come from the store at scrape time, so they survive restarts and agree with
/// `liaison due` and `liaison outbox`; durations and timestamps come from ``ServiceStatus``.
struct MetricsExposition {
    private var lines: [String] = []

    /// The content type Prometheus expects.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Builds the whole exposition.
    static func render(_ context: ObservabilityContext) async throws -> String {
        let store = context.store
        let statements = try await store.statements()
        let closing = try await store.closingDates()
        let received = try await store.receivedMessageCounts()
        let outgoing = try await store.outgoingStateCounts()
        let depth = try await store.outboxDepth()
        let today = context.day(of: context.clock.now())
        let snapshot = context.status.snapshot()

        var open = 0
        var overdue = 0
        for statement in statements where closing[statement.reference.description] == nil {
            open += 1
            if let deadline = statement.deadline, let today, deadline < today { overdue += 1 }
        }
        let routed = statements.count { $0.state == .routed }
        let triage = statements.count { $0.state == .needsTriage }

        var out = MetricsExposition()
        out.metric(
            "liaison_messages_received_total", type: "counter",
            help: "Messages committed from the intake mailbox, by disposition (statement, quarantined, report).",
            samples: ["statement", "quarantined", "report"].map { (["disposition": $0], Double(received[$0] ?? 0)) })
        out.metric("liaison_statements_received_total", type: "counter", help: "Statements recorded.", value: Double(statements.count))
        out.metric(
            "liaison_statements_routed", type: "gauge", help: "Recorded statements routed to their groups.", value: Double(routed))
        out.metric(
            "liaison_statements_triage", type: "gauge", help: "Recorded statements waiting for a liaison manager (needs-triage).",
            value: Double(triage))
        out.metric("liaison_statements_open", type: "gauge", help: "Statements not closed.", value: Double(open))
        out.metric(
            "liaison_statements_overdue", type: "gauge", help: "Open statements whose deadline day has passed.", value: Double(overdue))
        out.metric(
            "liaison_parse_errors_total", type: "counter", help: "Messages quarantined because no statement could be read from them.",
            value: Double(received["quarantined"] ?? 0))
        out.metric(
            "liaison_mails_sent_total", type: "counter", help: "Outgoing messages delivered to every recipient.",
            value: Double(outgoing["done"] ?? 0))
        out.metric(
            "liaison_mails_failed_total", type: "counter", help: "Outgoing messages with a recipient that failed permanently or was given up.",
            value: Double(outgoing["failed"] ?? 0))
        out.metric("liaison_outbox_depth", type: "gauge", help: "Outgoing messages waiting for a first attempt or a retry.", value: Double(depth))
        out.optional(
            "liaison_poll_duration_seconds", type: "gauge", help: "How long the last IMAP poll took.", value: snapshot.imap.lastDuration)
        out.optional(
            "liaison_poll_last_success_timestamp_seconds", type: "gauge", help: "When the last IMAP poll succeeded (Unix time).",
            value: snapshot.imap.lastSuccess?.timeIntervalSince1970)
        out.metric(
            "liaison_poll_failures_total", type: "counter", help: "IMAP polls that failed since the daemon started.",
            value: Double(snapshot.imap.failures))
        out.optional(
            "liaison_send_duration_seconds", type: "gauge", help: "How long the last outbox run took.", value: snapshot.smtp.lastDuration)
        out.optional(
            "liaison_send_last_success_timestamp_seconds", type: "gauge", help: "When the last outbox run succeeded (Unix time).",
            value: snapshot.smtp.lastSuccess?.timeIntervalSince1970)
        out.metric(
            "liaison_send_failures_total", type: "counter", help: "Outbox runs that failed since the daemon started.",
            value: Double(snapshot.smtp.failures))
        out.metric(
            "liaison_start_time_seconds", type: "gauge", help: "When the daemon started (Unix time).",
            value: snapshot.started.timeIntervalSince1970)
        return out.lines.joined(separator: "\n") + "\n"
    }

    private mutating func metric(_ name: String, type: String, help: String, value: Double) {
        metric(name, type: type, help: help, samples: [([:], value)])
    }

    /// A metric with no sample yet (no poll so far) is left out rather than reported as 0.
    private mutating func optional(_ name: String, type: String, help: String, value: Double?) {
        guard let value else { return }
        metric(name, type: type, help: help, value: value)
    }

    private mutating func metric(_ name: String, type: String, help: String, samples: [([String: String], Double)]) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(type)")
        for (labels, value) in samples {
            let labelText =
                labels.isEmpty
                ? "" : "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
            lines.append("\(name)\(labelText) \(Self.format(value))")
        }
    }

    /// Label values escape backslash, double quote and line feed (the format's only escapes).
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whole numbers without a fraction (`3`), others as Swift prints them (`0.25`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
