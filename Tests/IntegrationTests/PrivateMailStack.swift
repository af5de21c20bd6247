import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A second, private instance of `scripts/mailstack` — its own directory, its own free ports —
/// for tests that stop Postfix (`smtp-stop` / `smtp-start`), which the shared stack other tests
/// use must never see. The caller stops it (`stop()`, which also removes the directory).
struct PrivateMailStack {
    /// The instance's `MAILSTACK_DIR`.
    let directory: String
    /// The ports it was started on, by `MAILSTACK_*_PORT` variable.
    let ports: [String: Int]
    /// The instance as the other integration tests see a stack (its env file).
    let stack: MailStack

    static let script = TestRun.repository.appendingPathComponent("scripts/mailstack").path
    static let portNames = [
        "MAILSTACK_IMAP_PORT", "MAILSTACK_IMAPS_PORT", "MAILSTACK_SMTP_PORT", "MAILSTACK_SUBMISSION_PORT", "MAILSTACK_SMTPS_PORT",
    ]

    /// Whether a private instance can be started here: as root with Postfix and Dovecot
    /// installed — and always in CI, where the test must fail rather than skip.
    static var shouldRun: Bool {
        MailStack.isCI
            || (geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix")
                && FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot"))
    }

    /// A `scripts/mailstack` command that failed, with what it printed.
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var output: String
        var description: String { "scripts/mailstack \(command) exited \(status):\n\(output)" }
    }

    /// Starts an instance in a new directory under /tmp on ports the kernel reports free; tries
    /// again with other ports when one was taken in between.
    static func start() throws -> PrivateMailStack {
        let directory = "/tmp/liaison-private-stack-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        var lastFailure: (any Error)?
        for _ in 0..<3 {
            let ports = try freePorts(portNames.count)
            let assignment = Dictionary(uniqueKeysWithValues: zip(portNames, ports))
            let result = mailstack(["start"], directory: directory, ports: assignment)
            if result.status == 0 {
                let stack = try MailStack.load(envFile: "\(directory)/env")
                return PrivateMailStack(directory: directory, ports: assignment, stack: stack)
            }
            lastFailure = Failure(command: "start", status: result.status, output: result.output)
            _ = mailstack(["stop", "--purge"], directory: directory, ports: [:])
        }
        throw lastFailure ?? Failure(command: "start", status: -1, output: "")
    }

    /// Stops only this instance's Postfix: its SMTP ports refuse connections until ``smtpStart()``.
    func smtpStop() throws { try check("smtp-stop") }

    /// Starts this instance's Postfix again, with its queue.
    func smtpStart() throws { try check("smtp-start") }

    /// Stops the instance and removes its directory; never throws (it runs from `defer`).
    func stop() {
        _ = Self.mailstack(["stop", "--purge"], directory: directory, ports: ports)
    }

    private func check(_ command: String) throws {
        let result = Self.mailstack([command], directory: directory, ports: ports)
        guard result.status == 0 else { throw Failure(command: command, status: result.status, output: result.output) }
    }

    /// Runs `scripts/mailstack ARGUMENTS` for the instance in `directory`.
    ///
    /// Not through Foundation's `Process`: it learns that a child ended when a socket the child
    /// inherited is closed, and the Dovecot and Postfix masters `start` leaves running would
    /// inherit it too (so `waitUntilExit` would wait for them). Here the shell closes every
    /// descriptor but 0–2 before running the script, and this function reaps it with `waitpid`.
    static func mailstack(_ arguments: [String], directory: String, ports: [String: Int]) -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mailstack-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let prelude = #"for fd in $(ls /proc/$$/fd); do if [ "$fd" -gt 2 ] && [ -e /proc/$$/fd/$fd ]; then eval "exec $fd>&-"; fi; done; exec "$@""#
        let argv = ["/bin/bash", "-c", prelude, "mailstack", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MAILSTACK_DIR"] = directory
        for (name, port) in ports { environment[name] = String(port) }
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var pid: pid_t = 0
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in posix_spawn(&pid, "/bin/bash", &actions, nil, cArgv, cEnvp) }
        }
        guard spawned == 0 else { return (-1, "cannot run \(script): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }

    /// Calls `body` with a NULL-terminated C array of `strings`.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }

    /// `count` distinct TCP ports on 127.0.0.1 that the kernel hands out as free right now.
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(command: "(free port)", status: errno, output: "socket failed") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw Failure(command: "(free port)", status: errno, output: "bind failed") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}

extension MailStack {
    /// The stack described by an env file written by `scripts/mailstack start`.
    static func load(envFile: String) throws -> MailStack {
        guard let text = try? String(contentsOfFile: envFile, encoding: .utf8) else {
            throw PrivateMailStack.Failure(command: "start", status: 0, output: "no env file at \(envFile)")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return MailStack(values: values)
    }
}
