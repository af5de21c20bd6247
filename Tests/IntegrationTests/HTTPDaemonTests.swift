import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `liaison run` with `http:` configured, against the real mail stack: the health check, the
/// metrics and the dashboard show the statement it processed, and SIGTERM stops the server too.
@Suite("The daemon's HTTP server", .serialized, .enabled(if: MailStack.shouldRun))
struct HTTPDaemonTests {
    /// GET `path`; nil while the server is not (yet) answering.
    func get(_ port: Int, _ path: String) async -> (status: Int, body: String)? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { return nil }
        guard let (data, response) = try? await URLSession.shared.data(from: url), let http = response as? HTTPURLResponse else {
            return nil
        }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test("Health, metrics and dashboard show a processed statement; SIGTERM stops the server")
    func serves() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let port = Int.random(in: 20000...29999)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: run.configPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("http:\n  listen: 127.0.0.1:\(port)\n".utf8))
        try handle.close()
        let log = run.directory.appendingPathComponent("daemon.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestRun.binary())
        process.arguments = ["run", "--config", run.configPath]
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("2-itu-plain"), to: "INBOX")
        // Bounded wait for the poll to record it (the poll interval of the demo configuration).
        var metrics = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = await get(port, "/metrics"), response.body.contains("liaison_statements_received_total 1\n"),
                response.body.contains("liaison_poll_duration_seconds")
            {
                metrics = response.body
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let daemonLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(metrics.contains("liaison_statements_received_total 1\n"), "\(daemonLog)")
        #expect(metrics.contains("# TYPE liaison_outbox_depth gauge"))

        let health = await get(port, "/healthz")
        #expect(health?.status == 200, "\(health?.body ?? "no answer")")
        #expect(health?.body.contains("ok imap: last poll at") == true)

        let index = await get(port, "/")
        #expect(index?.status == 200)
        #expect(index?.body.contains("LS on management of 400G optical transport interfaces") == true)
        let reference = index?.body.components(separatedBy: "<a href=\"/statements/").dropFirst().first?.prefix { $0 != "\"" }
        let page = await get(port, "/statements/\(reference ?? "none")")
        #expect(page?.status == 200)
        #expect(page?.body.contains("<h2>Events</h2>") == true)

        kill(process.processIdentifier, SIGTERM)
        let stopBy = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < stopBy { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "liaison run stops within 10 s of SIGTERM")
        #expect(process.terminationStatus == 0)
        let afterStop = await get(port, "/healthz")
        #expect(afterStop == nil, "the port is closed after shutdown")
    }
}
