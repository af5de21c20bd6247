import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `liaison run` as an operator runs it: it polls, keeps going when a server is down, and stops
/// cleanly on SIGTERM.
@Suite("The daemon", .serialized, .enabled(if: MailStack.shouldRun))
struct DaemonTests {
    /// Starts `liaison run` with output captured in a file.
    func start(_ run: TestRun) throws -> (Process, URL) {
        let log = run.directory.appendingPathComponent("daemon.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestRun.binary())
        process.arguments = ["run", "--config", run.configPath, "--log-level", "debug"]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return (process, log)
    }

    /// Sends SIGTERM and returns the exit status, or nil if the process did not stop in time.
    func terminate(_ process: Process) async throws -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        guard try await eventually(.seconds(10), { !process.isRunning }) else {
            process.interrupt()
            return nil
        }
        return process.terminationStatus
    }

    @Test("It records a statement mailed in while it runs, and stops on SIGTERM")
    func recordsAndStops() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let (daemon, log) = try start(run)
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("2-itu-plain"), to: "INBOX")

        let recorded = try await eventually {
            try run.liaison("list").output.contains("LS on management of 400G optical transport interfaces")
        }
        #expect(recorded, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let status = try await terminate(daemon)
        #expect(status == 0, "liaison run exits 0 on SIGTERM")
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("statement recorded"))
        #expect(output.contains("intake service stopped"))
        #expect(!output.contains(stack.password), "the password never appears in the log")
    }

    @Test("An unreachable IMAP server is logged and retried; the daemon keeps running")
    func serverDown() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        // Port 9 (discard) on loopback has no listener here: connections are refused at once.
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "url: imap://\(stack.host):\(stack["MAILSTACK_IMAP_PORT"])", with: "url: imap://127.0.0.1:9")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
        let (daemon, log) = try start(run)
        let retried = try await eventually {
            (try? String(contentsOf: log, encoding: .utf8))?.contains("will retry") == true
        }
        #expect(retried)
        #expect(daemon.isRunning, "a server that is down is not fatal")
        #expect(try await terminate(daemon) == 0)
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("poll failed"))
        #expect(output.contains("127.0.0.1:9"), "the error names the server")
    }

    @Test("A bad configuration stops start-up with file, line and key")
    func badConfiguration() throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: often")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
        let result = try run.liaison("run")
        #expect(result.status != 0)
        #expect(result.output.contains("\(run.configPath):21: imap.poll_interval_seconds: expected a whole number"), "\(result.output)")
    }
}
