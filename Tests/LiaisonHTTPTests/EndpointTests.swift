import Foundation
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import Logging
import Testing

@testable import LiaisonHTTP

/// Requests `uri` from the in-process router; returns the status, the body and the content type.
func get(_ world: World, _ uri: String) async throws -> (status: HTTPResponse.Status, body: String, type: String) {
    let app = ObservabilityServer.application(
        context: world.context, address: .hostname("127.0.0.1", port: 0), logger: Logger(label: "liaison-http-test"))
    return try await app.test(.router) { client in
        try await client.execute(uri: uri, method: .get) { response in
            (response.status, String(buffer: response.body), response.headers[.contentType] ?? "")
        }
    }
}

/// The value of the sample line `name` (with its labels) in a Prometheus exposition.
func sample(_ exposition: String, _ name: String) -> Double? {
    exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
}

@Suite("Health check")
struct HealthTests {
    @Test("Healthy after a good poll and send: 200 naming every check")
    func healthy() async throws {
        let world = try World()
        world.status.recordPoll(at: World.now.addingTimeInterval(-10), duration: 0.25, error: nil)
        world.status.recordSend(at: World.now.addingTimeInterval(-9), duration: 0.5, error: nil)
        let response = try await get(world, "/healthz")
        #expect(response.status == .ok)
        #expect(response.body.contains("ok store"))
        #expect(response.body.contains("ok imap: last poll at 2026-06-15T11:59:50Z"))
        #expect(response.body.contains("ok smtp"))
    }

    @Test("Just started, no poll yet: healthy")
    func starting() async throws {
        let world = try World()
        let response = try await get(world, "/healthz")
        #expect(response.status == .ok)
        #expect(response.body.contains("ok imap: starting, no poll yet"))
    }

    @Test("A failed last poll is a 503 naming IMAP and the error")
    func imapFailing() async throws {
        let world = try World()
        world.status.recordPoll(at: World.now.addingTimeInterval(-100), duration: 0.1, error: nil)
        world.status.recordPoll(at: World.now.addingTimeInterval(-5), duration: 3, error: "could not connect to imap.example.org")
        let response = try await get(world, "/healthz")
        #expect(response.status == .serviceUnavailable)
        #expect(response.body.contains("FAILED imap: last poll failed at 2026-06-15T11:59:55Z: could not connect to imap.example.org"))
        #expect(response.body.contains("ok store"))
        #expect(response.body.contains("ok smtp"))
    }

    @Test("A poll that recovered after a failure is healthy again")
    func recovered() async throws {
        let world = try World()
        world.status.recordPoll(at: World.now.addingTimeInterval(-50), duration: 3, error: "timeout")
        world.status.recordPoll(at: World.now.addingTimeInterval(-5), duration: 0.1, error: nil)
        #expect(try await get(world, "/healthz").status == .ok)
    }

    @Test("No successful poll for three intervals and a minute is a 503")
    func stale() async throws {
        let world = try World(pollInterval: 60)
        world.status.recordPoll(at: World.now, duration: 0.1, error: nil)
        world.clock.advance(by: 239)
        #expect(try await get(world, "/healthz").status == .ok)
        world.clock.advance(by: 2)
        let response = try await get(world, "/healthz")
        #expect(response.status == .serviceUnavailable)
        #expect(response.body.contains("FAILED imap: last successful poll at 2026-06-15T12:00:00Z, 241 s ago"))
    }

    @Test("A failed send is a 503 naming SMTP")
    func smtpFailing() async throws {
        let world = try World()
        world.status.recordPoll(at: World.now, duration: 0.1, error: nil)
        world.status.recordSend(at: World.now, duration: 1, error: "2 recipients deferred, none delivered")
        let response = try await get(world, "/healthz")
        #expect(response.status == .serviceUnavailable)
        #expect(response.body.contains("FAILED smtp: last send failed at 2026-06-15T12:00:00Z: 2 recipients deferred, none delivered"))
        #expect(!response.body.contains("FAILED imap"))
    }
}

@Suite("Metrics")
struct MetricsTests {
    @Test("Counts come from the store, durations from the status; HELP and TYPE precede each metric")
    func values() async throws {
        let world = try World()
        try await world.fill()
        world.status.recordPoll(at: World.now, duration: 0.25, error: nil)
        world.status.recordPoll(at: World.now, duration: 1.5, error: "timeout")
        let response = try await get(world, "/metrics")
        #expect(response.status == .ok)
        #expect(response.type == "text/plain; version=0.0.4; charset=utf-8")
        let text = response.body
        #expect(sample(text, "liaison_statements_received_total") == 4)
        #expect(sample(text, "liaison_messages_received_total{disposition=\"statement\"}") == 4)
        #expect(sample(text, "liaison_messages_received_total{disposition=\"quarantined\"}") == 1)
        #expect(sample(text, "liaison_messages_received_total{disposition=\"report\"}") == 0)
        #expect(sample(text, "liaison_statements_routed") == 3)
        #expect(sample(text, "liaison_statements_triage") == 1)
        #expect(sample(text, "liaison_statements_open") == 3)
        #expect(sample(text, "liaison_statements_overdue") == 1)
        #expect(sample(text, "liaison_parse_errors_total") == 1)
        #expect(sample(text, "liaison_mails_sent_total") == 1)
        #expect(sample(text, "liaison_mails_failed_total") == 1)
        #expect(sample(text, "liaison_outbox_depth") == 7)
        #expect(sample(text, "liaison_poll_duration_seconds") == 1.5)
        #expect(sample(text, "liaison_poll_failures_total") == 1)
        #expect(sample(text, "liaison_poll_last_success_timestamp_seconds") == World.now.timeIntervalSince1970)
        // Every sample's metric has HELP and TYPE lines before it, and every name has the prefix.
        var declared: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && ["counter", "gauge"].contains(parts[3]), "\(line)")
                declared.insert(String(parts[2]))
            } else if !line.hasPrefix("# HELP ") {
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                #expect(declared.contains(name), "\(line)")
                #expect(name.hasPrefix("liaison_"))
            }
        }
    }

    @Test("Before any poll the duration is absent rather than zero")
    func noPollYet() async throws {
        let world = try World()
        let text = try await get(world, "/metrics").body
        #expect(!text.contains("liaison_poll_duration_seconds"))
        #expect(sample(text, "liaison_statements_received_total") == 0)
        #expect(sample(text, "liaison_outbox_depth") == 0)
    }

    @Test("Label values are escaped")
    func escaping() {
        #expect(MetricsExposition.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        #expect(MetricsExposition.format(3) == "3")
        #expect(MetricsExposition.format(0.25) == "0.25")
    }
}
