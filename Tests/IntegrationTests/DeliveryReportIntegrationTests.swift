import Foundation
import MIME
import Testing

/// A real Postfix bounce coming back to the intake mailbox: attached to the statement whose mail
/// it returns, never acknowledged, never a statement.
@Suite("Delivery reports on the real mail stack", .serialized, .enabled(if: MailStack.shouldRun))
struct DeliveryReportIntegrationTests {
    /// Hands `message` to the stack's Postfix through sendmail(1) (pickup, so no RCPT check):
    /// Postfix accepts it and bounces what it cannot deliver with its own DSN to `sender`.
    func inject(_ message: [UInt8], stack: MailStack, sender: String, recipient: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/sendmail")
        process.arguments = ["-C", "\(stack.directory)/postfix", "-i", "-f", sender, "--", recipient]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(message))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
    }

    /// The message as its sender wrote it: the fields the delivery agent prepended removed.
    func withoutDeliveryFields(_ raw: [UInt8]) -> [UInt8] {
        var text = String(decoding: raw, as: UTF8.self)
        for name in ["Return-Path:", "X-Original-To:", "Delivered-To:"] where text.hasPrefix(name) {
            text = text.firstIndex(of: "\n").map { String(text[text.index(after: $0)...]) } ?? text
        }
        return Array(text.utf8)
    }

    @Test("Postfix bounces a forwarded copy: its DSN is attached to the statement; no acknowledgement, no statement, the liaison manager told")
    func postfixBounce() async throws {
        let stack = try MailStack.load()
        let run = try TestRun(stack: stack)
        let p = run.prefix
        let intake = try stack.imap(user: run.address("intake"))
        _ = try await intake.append(try run.sample("2-itu-plain"), to: "INBOX")
        let first = try run.liaison("poll", "--once")
        #expect(first.status == 0, "\(first.output)")
        let reference = try #require(
            first.output.split(separator: "\n").compactMap { line in
                line.range(of: "recorded ").flatMap { line[$0.upperBound...].split(separator: " ").first.map(String.init) }
            }.first, "\(first.output)")
        try await stack.waitForDelivery { !stack.inbox(of: "\(p)-ccamp").isEmpty }
        let forward = try #require(
            stack.inbox(of: "\(p)-ccamp").first { MIMEMessage(bytes: $0).subject?.contains("[\(reference)]") == true })
        let forwardID = try #require(MIMEMessage(bytes: forward).messageID)

        // A list expansion member that does not exist: Postfix accepts the copy, then bounces it
        // to the forward's envelope sender (the intake address) with a DSN returning the copy.
        let member = ".nosuch-\(p)@example.test"
        let (status, printed) = try inject(withoutDeliveryFields(forward), stack: stack, sender: run.address("intake"), recipient: member)
        #expect(status == 0, "sendmail: \(printed)")
        try await stack.waitForDelivery { !stack.inbox(of: "\(p)-intake").isEmpty }
        let dsn = try #require(stack.inbox(of: "\(p)-intake").first.map { MIMEMessage(bytes: $0) }, "Postfix sent no DSN")
        #expect(dsn.root.contentType[parameter: "report-type"] == "delivery-status")
        #expect(dsn.header["Return-Path"] == "<MAILER-DAEMON>")

        let second = try run.liaison("poll", "--once")
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("UID 2: report about \(reference): DSN from mail.example.test: failed 5.1.1"), "\(second.output)")
        #expect(second.output.contains("outbox: 1 messages sent"), "only the delivery-failure notice: \(second.output)")
        #expect(!second.output.contains("recorded "), "no new statement")
        #expect(try run.liaison("list").output.split(separator: "\n").count == 1)
        #expect(try await intake.status().messages == 0)
        #expect(try await intake.uids(in: "Processed").count == 2, "the DSN is moved to Processed like any other message")

        let show = try run.liaison("show", reference)
        #expect(show.output.contains("delivery-report: DSN from mail.example.test: failed 5.1.1"), "\(show.output)")
        #expect(show.output.contains("(about the forward <\(forwardID)>)"), "\(show.output)")
        #expect(show.output.contains("failure-notice: delivery-failure notice to \(p)-lm@example.test"), "\(show.output)")

        try await stack.waitForDelivery {
            stack.inbox(of: "\(p)-lm").contains { MIMEMessage(bytes: $0).subject?.hasPrefix("[\(reference)] Undeliverable forward") == true }
        }
        let notices = stack.inbox(of: "\(p)-lm").map { MIMEMessage(bytes: $0) }.filter { $0.subject?.contains("Undeliverable") == true }
        #expect(notices.count == 1)
        #expect(notices.first?.textBody()?.contains("nosuch-\(p)") == true)
        // Nothing went back to the mailer daemon, and the statement's sender got one acknowledgement only.
        #expect(!stack.inbox(of: "mailer-daemon").contains { MIMEMessage(bytes: $0).subject?.contains("[\(reference)]") == true })
        #expect(stack.sink(for: "\(p)-rapporteur@itu.int").count == 1)

        // Nothing more happens: no loop.
        let third = try run.liaison("poll", "--once")
        #expect(third.output.contains(": 0 new") && third.output.contains("outbox: 0 messages sent"), "\(third.output)")
        try await stack.waitForDelivery { true }
        #expect(stack.inbox(of: "\(p)-intake").isEmpty)
    }
}
