import Foundation
import LiaisonCore

/// What a crash campaign did and found: the figures docs/reliability.md quotes.
struct CrashFigures: Sendable {
    var statements = 0
    var kills = 0
    /// Kills at an instrumented point, by point.
    var killsAt: [CrashPoint: Int] = [:]
    /// Kills at a random moment (SIGKILL from the harness).
    var randomKills = 0
    /// Instrumented kills whose point did not fire (the process had to be killed from outside).
    var missedPoints: [String] = []
    /// Restarts of `liaison run` (kills + the final clean run).
    var starts = 0
    var integrityChecks = 0
    var integrityFailures: [String] = []
    /// How each run ended when it was not by SIGKILL.
    var unexpectedEndings: [String] = []

    var recorded = 0
    var titlesRecordedTwice = 0
    var titlesMissing = 0
    var receivedMessages = 0
    var referenceGaps = 0
    var quarantined = 0
    var processedOnServer = 0
    var leftInInbox = 0
    var pendingMoves = 0

    var outgoingMessages = 0
    var outgoingNotDone = 0
    /// (Message-ID, recipient) pairs the outbox says were delivered.
    var expectedCopies = 0
    /// Pairs with no copy in the recipient's mailbox.
    var lostCopies: [String] = []
    /// Copies beyond the first, over all pairs.
    var duplicateCopies = 0
    /// Messages of which some recipient holds more than one copy, and how many extra sends that means.
    var duplicatedMessages = 0
    var duplicateSends = 0
    /// Copies in our mailboxes whose Message-ID the outbox does not list for that recipient.
    var unexpectedCopies: [String] = []
    var duration: Duration = .zero

    var afterSendKills: Int { killsAt[.afterSend] ?? 0 }

    /// The figures as printed by `scripts/crash-test`.
    var report: String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        var lines = [
            "crash-test: \(statements) statements, \(kills) SIGKILLs (\(kills - randomKills) at instrumented points, \(randomKills) at random moments), \(starts) starts, \(String(format: "%.0f", seconds)) s",
            "  kills per point: "
                + CrashPoint.allCases.map { "\($0.rawValue) \(killsAt[$0] ?? 0)" }.joined(separator: ", "),
            "  PRAGMA integrity_check after every kill: \(integrityChecks - integrityFailures.count)/\(integrityChecks) ok",
            "  statements recorded: \(recorded) of \(statements) (twice: \(titlesRecordedTwice), missing: \(titlesMissing)); messages stored: \(receivedMessages); reference numbers skipped: \(referenceGaps); quarantined: \(quarantined)",
            "  on the server: \(processedOnServer) in Processed, \(leftInInbox) left in the intake mailbox; moves still pending: \(pendingMoves)",
            "  outbox: \(outgoingMessages) messages, \(outgoingNotDone) not done; \(expectedCopies) copies due to recipients, \(lostCopies.count) missing",
            "  duplicates: \(duplicateCopies) extra copies of \(duplicatedMessages) messages (\(duplicateSends) extra sends, same Message-ID); kills in the 250-to-commit window: \(afterSendKills) at after-send + up to \(randomKills) random",
            "  unexpected copies (Message-ID unknown to the outbox): \(unexpectedCopies.count)",
        ]
        for (label, items) in [
            ("missed point", missedPoints), ("integrity", integrityFailures), ("ending", unexpectedEndings), ("lost", lostCopies),
            ("unexpected", unexpectedCopies),
        ] {
            lines += items.prefix(10).map { "  ! \(label): \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
