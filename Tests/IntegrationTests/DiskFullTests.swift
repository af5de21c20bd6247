import Foundation
import LiaisonCore
import LiaisonStore
import MIME
import Testing

@testable import MailTransport

#if canImport(Glibc)
import Glibc
#endif

/// The state directory's file system filling up under the running daemon (docs/reliability.md,
/// "Disk full"): the commit fails with an error naming the disk and the path, nothing is moved
/// on the server, the daemon keeps running with backoff, and once space returns the message is
/// recorded and forwarded once.
///
/// The state directory is a 16 MB tmpfs (the tests run as root). Where `mount` is refused (a
/// container without CAP_SYS_ADMIN) the daemon runs under a file-size limit instead (`ulimit -f`,
/// writes past it fail with EFBIG) and space "returns" by restarting it without the limit; the
/// test prints which mechanism ran (`LIAISON_DISK_FULL_MECHANISM=ulimit` forces the fallback).
@Suite("Disk full", .serialized, .enabled(if: MailStack.shouldRun))
struct DiskFullTests {
    /// How the state directory was made to run out of space.
    enum Mechanism: CustomStringConvertible {
        case tmpfs(path: String, megabytes: Int)
        case fileSizeLimit(blocks: Int, mountRefused: String)

        var description: String {
            switch self {
            case .tmpfs(let path, let megabytes): "a \(megabytes) MB tmpfs at \(path) filled with a filler file (ENOSPC)"
            case .fileSizeLimit(let blocks, let refused):
                "mount refused (\(refused.trimmingCharacters(in: .whitespacesAndNewlines))); "
                    + "a file-size limit instead: ulimit -f \(blocks) (EFBIG past \(blocks / 2) KB)"
            }
        }
    }

    /// A statement with a unique title; `attachmentLines` lines of text attached (base64).
    func statement(_ run: TestRun, _ index: Int, attachmentLines: Int = 0) -> [UInt8] {
        var text = ""
        for line in 0..<attachmentLines {
            text += "Line \(line + 1) of the attached liaison text for item \(index): optical transport network clauses.\n"
        }
        let encoded = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let boundary = "full-boundary-\(index)"
        return Array(
            """
            From: ITU-T SG15 Rapporteur <\(run.prefix)-sender@example.test>\r
            To: \(run.address("intake"))\r
            Subject: LS on full-disk item \(index)\r
            Message-ID: <\(run.prefix)-full-\(index)@itu.int>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="\(boundary)"\r
            \r
            --\(boundary)\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            ITU-T Study Group 15 sends item \(index).\r
            \r
            To: IETF CCAMP WG\r
            For information.\r
            --\(boundary)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Disposition: attachment; filename="ls-full-\(index).txt"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(encoded)\r
            --\(boundary)--\r

            """.utf8)
    }

    /// The titles recorded, from the database (opened and closed for this call).
    func titles(_ path: String) async throws -> [String] {
        try await SQLiteStore(path: path).statements().compactMap(\.title).filter { $0.hasPrefix("LS on full-disk item") }.sorted()
    }

    /// Fills the file system holding `path` with a file there until a write fails with ENOSPC.
    func fill(_ path: String) throws -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        var chunk = 1 << 20
        let zeros = [UInt8](repeating: 0x2e, count: chunk)
        while chunk >= 512 {
            let count = zeros.withUnsafeBytes { write(fd, $0.baseAddress, chunk) }
            if count > 0 {
                written += count
            } else if errno == ENOSPC || count == 0 {
                chunk /= 2
            } else {
                throw Failure(description: "writing \(path): \(String(cString: strerror(errno)))")
            }
        }
        return written
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    @Test("The state directory's disk fills up under the daemon: a clear error, nothing moved, the message recorded once after")
    func diskFull() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let state = run.directory.appendingPathComponent("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        // LIAISON_DISK_FULL_MECHANISM=ulimit runs the fallback even where mount works.
        var mountStatus: Int32 = -1
        var mountOutput = "not tried: LIAISON_DISK_FULL_MECHANISM=ulimit"
        if ProcessInfo.processInfo.environment["LIAISON_DISK_FULL_MECHANISM"] != "ulimit" {
            mountOutput = IntegrationTests.run("/bin/mount", ["-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", state], status: &mountStatus)
        }
        let mechanism: Mechanism =
            mountStatus == 0 ? .tmpfs(path: state, megabytes: 16) : .fileSizeLimit(blocks: 2048, mountRefused: mountOutput)
        defer {
            if case .tmpfs = mechanism {
                var status: Int32 = 0
                IntegrationTests.run("/bin/umount", [state], status: &status)
                if status != 0 { IntegrationTests.run("/bin/umount", ["-l", state]) }
            }
            try? FileManager.default.removeItem(at: run.directory)
        }
        print("disk full: \(mechanism)")

        let config = try String(contentsOfFile: run.configPath, encoding: .utf8)
            .replacingOccurrences(of: "poll_interval_seconds: 5", with: "poll_interval_seconds: 1")
        try Data(config.utf8).write(to: URL(fileURLWithPath: run.configPath))
        let databasePath = "\(state)/liaison.sqlite"
        let log = run.directory.appendingPathComponent("daemon.log").path
        let binary = try TestRun.binary()
        var launcher = binary
        if case .fileSizeLimit(let blocks, _) = mechanism {
            // dash counts ulimit -f in 512-byte blocks; SIGXFSZ ignored so writes fail with EFBIG.
            launcher = run.directory.appendingPathComponent("limited-liaison").path
            try Data("#!/bin/sh\ntrap '' XFSZ\nulimit -f \(blocks)\nexec '\(binary)' \"$@\"\n".utf8).write(to: URL(fileURLWithPath: launcher))
            chmod(launcher, 0o755)
        }

        // One statement goes through normally.
        let intake = try stack.imap(user: run.address("intake"))
        let daemon = try DaemonProcess(binary: launcher, config: run.configPath, log: log)
        // The daemon creates and migrates the database; the test reads it only afterwards.
        #expect(try await eventually { daemon.output().contains("liaison starting") }, "\(daemon.output())")
        _ = try await intake.append(statement(run, 1, attachmentLines: 10), to: "INBOX")
        #expect(try await eventually { try await titles(databasePath).count == 1 }, "\(daemon.output())")

        // The disk fills up; a statement larger than the write-ahead log already holds arrives.
        // 256 KB are left free: the small writes before the commit (a reference number) fit,
        // the commit of the large message does not.
        var filler = 0
        if case .tmpfs = mechanism {
            filler = try fill("\(state)/filler") - 262_144
            try #require(truncate("\(state)/filler", off_t(filler)) == 0)
        }
        let wal = ((try? FileManager.default.attributesOfItem(atPath: "\(databasePath)-wal"))?[.size] as? NSNumber)?.intValue ?? 0
        let lines = max(12_000, (wal + 1_500_000) / 75)
        _ = try await intake.append(statement(run, 2, attachmentLines: lines), to: "INBOX")
        let uids = try await intake.uids(after: 0)
        try #require(uids.count == 1)
        let served = try await intake.fetch(uid: uids[0], uidValidity: try await intake.status().uidValidity)

        // Two failed polls (the second after its backoff): each says what is full and where.
        #expect(try await eventually { daemon.output().components(separatedBy: "poll failed").count > 2 }, "\(daemon.output())")
        #expect(daemon.poll() == nil, "the daemon keeps running")
        let failures = daemon.output().split(separator: "\n").filter { $0.contains("poll failed") }
        print("disk full: filler \(filler) bytes, WAL \(wal) bytes, message \(served.count) bytes; daemon said:\n  \(failures.first ?? "")")
        switch mechanism {
        case .tmpfs:
            #expect(failures.allSatisfy { $0.contains("disk full") && $0.contains(databasePath) }, "\(failures)")
            #expect(failures.contains { $0.contains("disk full while trying to commit") }, "the commit itself failed: \(failures)")
        case .fileSizeLimit:
            #expect(failures.allSatisfy { $0.contains(databasePath) }, "\(failures)")
        }
        #expect(daemon.output().contains("retry.in_seconds=4") || daemon.output().contains("\"retry.in_seconds\":\"4\""), "backoff")
        // Nothing marked processed for it: still in the intake mailbox, not in Processed.
        #expect(try await intake.uids(after: 0) == uids)
        #expect(try await intake.uids(in: "Processed").count == 1)
        #expect(try await titles(databasePath) == ["LS on full-disk item 1"])

        // Space returns; the message is recorded once.
        var recovered = daemon
        switch mechanism {
        case .tmpfs:
            try FileManager.default.removeItem(atPath: "\(state)/filler")
        case .fileSizeLimit:
            #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
            recovered = try DaemonProcess(binary: binary, config: run.configPath, log: log)
        }
        #expect(
            try await eventually {
                let outbox = try run.liaison("outbox", "--json").output.filter { !$0.isWhitespace }
                return try await titles(databasePath).count == 2 && outbox == #"{"failed":[],"pending":[]}"#
            }, "\(recovered.output())")
        #expect(try await recovered.stop(with: SIGTERM) == .exited(0))

        let store = try SQLiteStore(path: databasePath)
        #expect(try await store.integrityCheck())
        #expect(try await titles(databasePath) == ["LS on full-disk item 1", "LS on full-disk item 2"])
        #expect(try await store.receivedMessageCount() == 2)
        #expect(try await store.rawMessage(sha256: SHA256.hex(of: served)) == served)
        #expect(try await intake.uids(after: 0).isEmpty)
        #expect(try await intake.uids(in: "Processed").count == 2)
        let outgoing = try await store.outboxEntries(in: OutgoingRecord.State.allCases)
        #expect(outgoing.count == 4 && outgoing.allSatisfy { $0.state == .done })
        try await stack.waitForDelivery { stack.inbox(of: "\(run.prefix)-ccamp").count >= 2 && stack.inbox(of: "\(run.prefix)-sender").count >= 2 }
        for box in ["ccamp", "sender"] {
            let ids = stack.inbox(of: "\(run.prefix)-\(box)").compactMap { MIMEMessage(bytes: $0).header["Message-ID"] }
            #expect(ids.count == 2 && Set(ids).count == 2, "\(box) holds one copy of each of the two: \(ids)")
        }
    }
}
