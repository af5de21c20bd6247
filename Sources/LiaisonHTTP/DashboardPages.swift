import Foundation
import LiaisonCore
import LiaisonStore
import LiaisonTemplates

/// The read-only dashboard's pages, rendered from `templates/web` (every value HTML-escaped by
/// ``WebTemplateLibrary``).
enum DashboardPages {
    /// `/`: statements by category, filtered by `query`.
    static func index(_ context: ObservabilityContext, query: StatementQuery) async throws -> String {
        let statements = try await context.store.statements()
        let closing = try await context.store.closingDates()
        let today = context.day(of: context.clock.now())
        var rows: [DashboardCategory: [TemplateValue]] = [:]
        var matched = 0
        for summary in statements where query.matches(summary, day: context.day(of: summary.recordedAt)) {
            matched += 1
            let category = DashboardCategory.of(summary, closed: closing[summary.reference.description] != nil, today: today)
            rows[category, default: []].append(row(summary, context: context))
        }
        let sections: [TemplateValue] = DashboardCategory.allCases.map { category in
            let list = rows[category] ?? []
            return .object([
                "id": .string(category.rawValue), "title": .string(category.title), "count": .string("\(list.count)"),
                "rows": .list(list), "empty": .bool(list.isEmpty),
            ])
        }
        return try context.templates.render(
            "index",
            context: .object([
                "pageTitle": .string("Liaison statements"),
                "today": .string(today?.description ?? ""),
                "q": .string(query.text), "group": .string(query.group), "organization": .string(query.organization),
                "from": .string(query.fromText), "to": .string(query.toText),
                "problems": .list(query.problems.map(TemplateValue.string)),
                "filtered": .bool(!query.isEmpty),
                "matched": .string("\(matched)"), "total": .string("\(statements.count)"),
                "sections": .list(sections),
            ]))
    }

    static func row(_ summary: StatementSummary, context: ObservabilityContext) -> TemplateValue {
        .object([
            "reference": .string(summary.reference.description),
            "title": .string(summary.title ?? "(no title)"),
            "organization": .string(summary.fromOrganization ?? ""),
            "groups": .string(summary.groups.joined(separator: ", ")),
            "purpose": .string(summary.purpose?.rawValue ?? ""),
            "deadline": .string(summary.deadline?.description ?? ""),
            "recorded": .string(context.day(of: summary.recordedAt)?.description ?? ""),
        ])
    }

    /// `/statements/LS-…`: one statement with its fields, recipients, events and mails; `nil`
    /// when the reference is unknown.
    static func statement(_ context: ObservabilityContext, reference: StatementReference) async throws -> String? {
        guard let recorded = try await context.store.statement(reference: reference) else { return nil }
        let events = try await context.store.events(reference: reference)
        let mails = try await context.store.outgoing(reference: reference)
        let closed = try await context.store.closingDates()[reference.description]
        let statement = recorded.statement
        func contacts(_ list: [Contact]) -> TemplateValue { .string(list.map(\.description).joined(separator: ", ")) }
        let fields: [(String, String)] = [
            ("State", recorded.state.rawValue + (closed.map { ", closed \(stamp($0))" } ?? "")),
            ("Purpose", statement.purpose?.rawValue ?? ""),
            ("Deadline", statement.deadline?.description ?? ""),
            ("Submitted", statement.submissionDate?.description ?? ""),
            ("From organization", statement.fromOrganization ?? ""),
            ("From groups", statement.fromGroups.joined(separator: ", ")),
            ("From contacts", statement.fromContacts.map(\.description).joined(separator: ", ")),
            ("To groups", statement.toGroups.joined(separator: ", ")),
            ("To contacts", statement.toContacts.map(\.description).joined(separator: ", ")),
            ("Cc contacts", statement.ccContacts.map(\.description).joined(separator: ", ")),
            ("Response contacts", statement.responseContacts.map(\.description).joined(separator: ", ")),
            ("Technical contacts", statement.technicalContacts.map(\.description).joined(separator: ", ")),
            ("Identifiers", statement.identifiers.joined(separator: ", ")),
            ("Sender", recorded.sender?.description ?? ""),
            ("Message-ID", recorded.messageID ?? ""),
            ("Recorded", stamp(recorded.recordedAt)),
        ]
        let routing = recorded.routing
        return try context.templates.render(
            "statement",
            context: .object([
                "pageTitle": .string("\(reference) – \(statement.title ?? "(no title)")"),
                "reference": .string(reference.description),
                "title": .string(statement.title ?? "(no title)"),
                "fields": .list(
                    fields.filter { !$0.1.isEmpty }.map { .object(["name": .string($0.0), "value": .string($0.1)]) }),
                "routingTo": contacts(routing.to),
                "routingCc": contacts(routing.cc),
                "routingGroups": .string(routing.groups.joined(separator: ", ")),
                "reasons": .list(routing.reasons.map(TemplateValue.string)),
                "hasReasons": .bool(!routing.reasons.isEmpty),
                "events": .list(
                    events.map {
                        .object(["at": .string(stamp($0.at)), "kind": .string($0.kind), "detail": .string($0.detail)])
                    }),
                "hasEvents": .bool(!events.isEmpty),
                "mails": .list(mails.map(mail)),
                "hasMails": .bool(!mails.isEmpty),
                "body": .string(statement.body),
            ]))
    }

    static func mail(_ record: OutgoingRecord) -> TemplateValue {
        .object([
            "kind": .string(record.message.kind.rawValue),
            "state": .string(record.state.rawValue),
            "created": .string(stamp(record.createdAt)),
            "attempts": .string("\(record.attempts)"),
            "messageID": .string(record.message.messageID),
            "recipients": .list(
                record.recipients.map {
                    .object([
                        "address": .string($0.address), "state": .string($0.state.rawValue),
                        "detail": .string(replyText(code: $0.code, detail: $0.detail)),
                    ])
                }),
        ])
    }

    /// A recipient's SMTP outcome: the stored detail is usually the server's whole reply, code
    /// included ("250 2.0.0 Ok"), so the code is only put in front when the detail lacks it.
    static func replyText(code: Int?, detail: String?) -> String {
        let detail = detail ?? ""
        guard let code, !detail.hasPrefix("\(code)") else { return detail }
        return detail.isEmpty ? "\(code)" : "\(code) \(detail)"
    }

    /// `/calendar`: open statements' deadlines from today for `weeks` weeks, by week and day;
    /// overdue ones first.
    static func calendar(_ context: ObservabilityContext, weeks: Int = 8) async throws -> String {
        let statements = try await context.store.statements()
        let closing = try await context.store.closingDates()
        guard let today = context.day(of: context.clock.now()), let end = today.adding(days: 7 * weeks) else {
            return try context.templates.render("calendar", context: .object(["pageTitle": .string("Deadlines")]))
        }
        let open = statements.filter { closing[$0.reference.description] == nil }
        let overdue = open.filter { ($0.deadline.map { $0 < today }) ?? false }
            .sorted { ($0.deadline ?? today, $0.reference.description) < ($1.deadline ?? today, $1.reference.description) }
        var byWeek: [String: [CalendarDate: [StatementSummary]]] = [:]
        for summary in open {
            guard let deadline = summary.deadline, deadline >= today, deadline < end else { continue }
            byWeek[week(of: deadline), default: [:]][deadline, default: []].append(summary)
        }
        let weekList: [TemplateValue] = byWeek.keys.sorted().map { key in
            let days = byWeek[key] ?? [:]
            return .object([
                "week": .string(key),
                "days": .list(
                    days.keys.sorted().map { day in
                        .object([
                            "day": .string(day.description),
                            "statements": .list((days[day] ?? []).map { row($0, context: context) }),
                        ])
                    }),
            ])
        }
        return try context.templates.render(
            "calendar",
            context: .object([
                "pageTitle": .string("Deadlines"),
                "today": .string(today.description), "until": .string(end.description), "weeksCount": .string("\(weeks)"),
                "overdue": .list(overdue.map { row($0, context: context) }), "hasOverdue": .bool(!overdue.isEmpty),
                "weeks": .list(weekList), "empty": .bool(weekList.isEmpty),
            ]))
    }

    /// `2026-W36`: the ISO week a day falls in.
    static func week(of day: CalendarDate) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) else {
            return day.description
        }
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? day.year, parts.weekOfYear ?? 0)
    }

    static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
