import Foundation
import LiaisonCore
import Testing

@testable import LiaisonHTTP

/// The references listed in the section `id` of the dashboard page.
func references(in html: String, section id: String) -> [String] {
    guard let start = html.range(of: "<section id=\"\(id)\">") else { return [] }
    let rest = html[start.upperBound...]
    let section = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
    return section.components(separatedBy: "<a href=\"/statements/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

@Suite("Dashboard")
struct DashboardTests {
    @Test("Statements are grouped by state: overdue, action needed, triage, routed, closed")
    func categories() async throws {
        let world = try World()
        try await world.fill()
        let response = try await get(world, "/")
        #expect(response.status == .ok)
        #expect(response.type == "text/html; charset=utf-8")
        #expect(references(in: response.body, section: "overdue") == ["LS-2026-0002"])
        #expect(references(in: response.body, section: "action-needed") == ["LS-2026-0001"])
        #expect(references(in: response.body, section: "triage") == ["LS-2026-0003"])
        #expect(references(in: response.body, section: "routed") == [])
        #expect(references(in: response.body, section: "closed") == ["LS-2026-0004"])
        #expect(!response.body.contains("<script"))
    }

    @Test("A title with markup comes out escaped on every page")
    func escaping() async throws {
        let world = try World()
        try await world.fill()
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"
        for uri in ["/", "/statements/LS-2026-0002", "/calendar", "/?q=%3Cscript%3E"] {
            let body = try await get(world, uri).body
            #expect(body.contains(escaped), "\(uri)")
            #expect(!body.contains("<script>"), "\(uri)")
            #expect(!body.contains("<img"), "\(uri)")
        }
        // The search box echoes what was typed, escaped.
        #expect(try await get(world, "/?q=%22%3E%3Cb%3E").body.contains("value=\"&quot;&gt;&lt;b&gt;\""))
    }

    @Test(
        "The search form filters by text, group, organization and recording day",
        arguments: [
            ("q=otn", ["LS-2026-0001"]),
            ("q=LS-2026-0003", ["LS-2026-0003"]),
            ("group=OPSAWG", ["LS-2026-0002"]),
            ("organization=etsi", ["LS-2026-0002"]),
            ("organization=itu&q=old", ["LS-2026-0004"]),
            ("from=2026-06-01", ["LS-2026-0003"]),
            ("from=2026-05-21&to=2026-05-29", ["LS-2026-0001", "LS-2026-0002"]),
            ("q=nothing-matches", []),
        ])
    func search(query: String, expected: [String]) async throws {
        let world = try World()
        try await world.fill()
        let body = try await get(world, "/?" + query).body
        let listed = ["overdue", "action-needed", "triage", "routed", "closed"].flatMap { references(in: body, section: $0) }
        #expect(listed.sorted() == expected, "\(query)")
        #expect(body.contains("\(expected.count) of 4 statements match"))
    }

    @Test("A malformed day is reported, not ignored silently")
    func badDay() async throws {
        let world = try World()
        try await world.fill()
        let body = try await get(world, "/?from=15.06.2026").body
        #expect(body.contains("from: expected a day as YYYY-MM-DD, got 15.06.2026"))
    }

    @Test("A statement's page shows its fields, recipients, events and mails")
    func statement() async throws {
        let world = try World()
        try await world.fill()
        let response = try await get(world, "/statements/LS-2026-0002")
        #expect(response.status == .ok)
        let body = response.body
        #expect(body.contains("<tr><th>Deadline</th><td>2026-06-01</td></tr>"))
        #expect(body.contains("<tr><th>From organization</th><td>ETSI</td></tr>"))
        #expect(body.contains("<tr><th>To</th><td>opsawg-chairs@ietf.org</td></tr>"))
        #expect(body.contains("<li>opsawg-chairs@ietf.org: chairs of opsawg (addressed group)</li>"))
        #expect(body.contains("<td>received</td><td>from tsb@itu.int &lt;b&gt;bold&lt;/b&gt;</td>"))
        #expect(body.contains("<td>forward</td><td>failed</td><td>1</td>"))
        #expect(body.contains("opsawg-chairs@ietf.org: permanent-failure 550 test"))
        #expect(body.contains("<td>acknowledgement</td><td>pending</td><td>0</td>"))
        #expect(body.contains("&lt;img src=x onerror=alert(2)&gt;"))
        let closed = try await get(world, "/statements/LS-2026-0004").body
        #expect(closed.contains("<tr><th>State</th><td>routed, closed 2026-06-03T12:00:00Z</td></tr>"))
    }

    @Test("An unknown or malformed reference is a 404", arguments: ["/statements/LS-2026-0099", "/statements/garbage", "/nothing"])
    func notFound(uri: String) async throws {
        let world = try World()
        try await world.fill()
        #expect(try await get(world, uri).status == .notFound)
    }

    @Test("The calendar lists open deadlines of the coming weeks by ISO week, overdue first")
    func calendar() async throws {
        let world = try World()
        try await world.fill()
        try await world.statement(5, title: "Soon", deadline: CalendarDate(year: 2026, month: 6, day: 20), recorded: "2026-06-01")
        let body = try await get(world, "/calendar").body
        #expect(body.contains("<h2>2026-W25</h2>"))
        #expect(body.contains("<td>2026-06-20</td><td><a href=\"/statements/LS-2026-0005\">"))
        #expect(body.contains("<h2>Overdue</h2>"))
        #expect(body.contains("<td>2026-06-01</td><td><a href=\"/statements/LS-2026-0002\">"))
        // Closed (LS-2026-0004), beyond eight weeks (LS-2026-0001, 2026-09-01) and without a deadline (LS-2026-0003).
        #expect(!body.contains("LS-2026-0004"))
        #expect(!body.contains("LS-2026-0001"))
        #expect(!body.contains("LS-2026-0003"))
    }

    @Test("ISO weeks")
    func weeks() throws {
        #expect(DashboardPages.week(of: try #require(CalendarDate(year: 2026, month: 6, day: 20))) == "2026-W25")
        #expect(DashboardPages.week(of: try #require(CalendarDate(year: 2027, month: 1, day: 1))) == "2026-W53")
    }

    @Test(
        "A recipient's SMTP outcome shows its code once",
        arguments: [
            (250, "250 2.0.0 Ok", "250 2.0.0 Ok"), (550, "5.1.1 unknown user", "550 5.1.1 unknown user"),
            (451, nil, "451"), (nil, "connection refused", "connection refused"),
        ] as [(Int?, String?, String)])
    func replyText(code: Int?, detail: String?, expected: String) {
        #expect(DashboardPages.replyText(code: code, detail: detail) == expected)
    }
}
