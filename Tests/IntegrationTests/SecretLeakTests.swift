import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Passwords never leave their files: a full run of the real binary at trace level — a refused
/// IMAP login, a refused SMTP AUTH, a daemon retrying against servers that are down, then a
/// successful run — and every byte it printed (stdout and stderr, both log formats), every
/// command's output and every file of its state directory (the SQLite database with its WAL) is
/// searched for the passwords, in clear and base64 (as in AUTH PLAIN). The passwords are read
/// from systemd credentials (`credential:NAME` with `$CREDENTIALS_DIRECTORY`), as in production.
@Suite("Secrets never leak", .serialized, .enabled(if: MailStack.shouldRun))
struct SecretLeakTests {
    /// What a `liaison` command printed.
    struct Output {
        var arguments: [String]
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
    }

    /// Runs `liaison ARGUMENTS --config CONFIG` with `environment` added; stdout and stderr go to
    /// files (no pipe to fill up), read when it has ended.
    static func liaison(_ arguments: [String], config: String, environment: [String: String], in directory: URL) throws
        -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestRun.binary())
        process.arguments = arguments + ["--config", config]
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "JOURNAL_STREAM")
        merged.removeValue(forKey: "LIAISON_LOG_FORMAT")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let name = UUID().uuidString
        let out = directory.appendingPathComponent("\(name).out")
        let err = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Output(
            arguments: arguments, status: process.terminationStatus,
            stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// A TCP port on 127.0.0.1 with nothing listening: "the server is down".
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The forms a password could leak in: as is, base64 alone and inside AUTH PLAIN / LOGIN.
    static func leakForms(password: String, users: [String]) -> [String] {
        var forms = [password, Data(password.utf8).base64EncodedString()]
        for user in users {
            forms.append(Data("\0\(user)\0\(password)".utf8).base64EncodedString())
            forms.append(Data("\(user)\0\(user)\0\(password)".utf8).base64EncodedString())
        }
        return forms
    }

    /// Every regular file under `directory`, with its bytes.
    static func files(under directory: String) -> [(path: String, bytes: [UInt8])] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [(String, [UInt8])] = []
        for case let relative as String in enumerator {
            let path = "\(directory)/\(relative)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            found.append((path, [UInt8](data)))
        }
        return found
    }

    @Test("A trace-level run with a refused login, a refused AUTH and servers down never shows a password")
    func passwordsNeverAppear() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let realPassword = stack.password
        try #require(realPassword.count >= 16)
        let wrongPassword = "Wr0ng-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))-\(UUID().uuidString)"

        // systemd credentials: LoadCredential=imap-password:… puts the file here, mode 0400.
        let credentials = run.directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        func setCredential(_ name: String, _ value: String) throws {
            let path = credentials.appendingPathComponent(name).path
            try? FileManager.default.removeItem(atPath: path)
            try Data("\(value)\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        }
        let environment = ["CREDENTIALS_DIRECTORY": credentials.path]

        let template = try String(contentsOfFile: run.configPath, encoding: .utf8)
        let passwordLine = "password_file: \(stack["MAILSTACK_PASSWORD_FILE"])"
        try #require(template.components(separatedBy: passwordLine).count == 3, "imap and smtp password_file")
        var configured = template.replacingOccurrences(of: passwordLine, with: "password_file: credential:imap-password")
        let smtpAt = try #require(configured.range(of: "smtp:\n"))
        configured = configured.replacingOccurrences(
            of: "password_file: credential:imap-password", with: "password_file: credential:smtp-password",
            options: [], range: smtpAt.lowerBound..<configured.endIndex)
        let imapURL = "url: imap://\(stack.host):\(stack["MAILSTACK_IMAP_PORT"])"
        let smtpURL = "url: smtp://\(stack.host):\(stack["MAILSTACK_SUBMISSION_PORT"])"
        func writeConfig(imapDown: Bool = false, smtpDown: Bool = false) throws {
            var text = configured
            if imapDown { text = text.replacingOccurrences(of: imapURL, with: "url: imap://127.0.0.1:\(try Self.closedPort())") }
            if smtpDown { text = text.replacingOccurrences(of: smtpURL, with: "url: smtp://127.0.0.1:\(try Self.closedPort())") }
            try Data(text.utf8).write(to: URL(fileURLWithPath: run.configPath))
        }
        var outputs: [Output] = []
        func liaison(_ arguments: String..., extra: [String: String] = [:]) throws -> Output {
            let output = try Self.liaison(
                arguments, config: run.configPath, environment: environment.merging(extra) { $1 }, in: run.directory)
            outputs.append(output)
            return output
        }

        let intake = try stack.imap(user: run.address("intake"))
        for name in ["1-datatracker", "2-itu-plain", "3-no-fields"] {
            _ = try await intake.append(try run.sample(name), to: "INBOX")
        }

        // 1. The IMAP login is refused (wrong password): the error names the user, not the password.
        try setCredential("imap-password", wrongPassword)
        try setCredential("smtp-password", wrongPassword)
        try writeConfig()
        #expect(try liaison("check-config").status == 0)
        let refusedLogin = try liaison("poll", "--once", "--log-level", "trace")
        #expect(refusedLogin.status != 0)
        #expect(refusedLogin.all.contains("authentication failed for user \"\(run.address("intake"))\""), "\(refusedLogin.all)")

        // 2. IMAP works, SMTP AUTH is refused: the statements are recorded, the mail waits in the
        //    outbox with the server's 535 reply, in journald's log format this time.
        try setCredential("imap-password", realPassword)
        let refusedAuth = try liaison("poll", "--once", "--log-level", "trace", extra: ["LIAISON_LOG_FORMAT": "journald"])
        #expect(refusedAuth.status == 0, "\(refusedAuth.all)")
        #expect(refusedAuth.all.contains("<7>liaison: "), "journald format (<priority> prefixes)")
        let pending = try liaison("outbox")
        #expect(pending.stdout.contains("authentication failed"), "\(pending.stdout)")
        _ = try liaison("outbox", "--json")
        let listed = try liaison("list").stdout
        let reference = try #require(
            listed.split(whereSeparator: { $0 == " " || $0.isNewline }).first { $0.hasPrefix("LS-") }, "\(listed)")
        _ = try liaison("show", String(reference))

        // 3. The daemon against servers that are down: IMAP and SMTP ports with nothing listening;
        //    it logs the failures and "will retry" (backoff), then stops on SIGTERM.
        try setCredential("smtp-password", realPassword)
        try writeConfig(imapDown: true, smtpDown: true)
        _ = try liaison("outbox", "retry", "--all")
        let daemonLog = run.directory.appendingPathComponent("daemon.log")
        _ = FileManager.default.createFile(atPath: daemonLog.path, contents: nil)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: try TestRun.binary())
        daemon.arguments = ["run", "--log-level", "trace", "--config", run.configPath]
        daemon.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .filter { $0.key != "JOURNAL_STREAM" && $0.key != "LIAISON_LOG_FORMAT" }
        let logHandle = try FileHandle(forWritingTo: daemonLog)
        daemon.standardOutput = logHandle
        daemon.standardError = logHandle
        daemon.standardInput = FileHandle.nullDevice
        try daemon.run()
        let deadline = ContinuousClock.now + .seconds(60)
        var daemonOutput = ""
        while ContinuousClock.now < deadline, daemon.isRunning {
            daemonOutput = (try? String(contentsOf: daemonLog, encoding: .utf8)) ?? ""
            if daemonOutput.contains("will retry") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if daemon.isRunning { daemon.terminate() }
        daemon.waitUntilExit()
        daemonOutput = try String(contentsOf: daemonLog, encoding: .utf8)
        outputs.append(Output(arguments: ["run"], status: daemon.terminationStatus, stdout: "", stderr: daemonOutput))
        #expect(daemonOutput.contains("will retry"), "\(daemonOutput)")
        #expect(daemonOutput.contains("connection failed"), "\(daemonOutput)")

        // 4. Everything back: the retries go out and every statement's mail is delivered.
        try writeConfig()
        _ = try liaison("outbox", "retry", "--all")
        let delivered = try liaison("poll", "--once", "--log-level", "trace")
        #expect(delivered.status == 0, "\(delivered.all)")
        #expect(try liaison("outbox").stdout.contains("nothing pending or failed"))
        #expect(try liaison("list").stdout.components(separatedBy: "LS-").count - 1 == 3)
        try await stack.waitForDelivery { !stack.inbox(of: "\(run.prefix)-mars").isEmpty }
        #expect(!stack.inbox(of: "\(run.prefix)-mars").isEmpty, "the forwarded copy arrived")

        // Trace and debug lines were written (the search below is not over empty logs).
        let printed = outputs.map(\.all).joined(separator: "\n")
        #expect(printed.contains("Connected and logged in"), "no debug-level output")
        #expect(outputs.count >= 10)

        let users = [run.address("intake")]
        let forms = Self.leakForms(password: realPassword, users: users) + Self.leakForms(password: wrongPassword, users: users)
        for output in outputs {
            for form in forms {
                #expect(!output.all.contains(form), "liaison \(output.arguments.joined(separator: " ")) printed a password")
            }
        }
        let state = Self.files(under: run.directory.appendingPathComponent("state").path)
        #expect(state.contains { $0.path.hasSuffix("liaison.sqlite") }, "the database was searched")
        var mail: [(path: String, bytes: [UInt8])] = []
        let maildirs = "\(stack["MAILSTACK_MAILDIR_ROOT"])/example.test"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: maildirs)) ?? [] where name.hasPrefix(run.prefix) {
            mail += Self.files(under: "\(maildirs)/\(name)")
        }
        #expect(!mail.isEmpty)
        for (path, bytes) in state + mail {
            for form in forms {
                #expect(bytes.firstRange(of: Array(form.utf8)) == nil, "\(path) holds a password")
            }
        }
    }
}
