import Foundation
import LiaisonCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `liaison run` killed with SIGKILL again and again loses nothing and doubles nothing but what
/// the 250-to-commit window allows (docs/reliability.md, "Crash safety").
///
/// CI runs the short campaign; `scripts/crash-test --kills 200 --statements 1000` runs the long
/// one through the same test (`LIAISON_CRASH_KILLS`, `LIAISON_CRASH_STATEMENTS`) and prints the
/// figures (`LIAISON_CRASH_REPORT` names a file to write them to as well).
@Suite("Crash safety", .serialized, .enabled(if: MailStack.shouldRun))
struct CrashSafetyTests {
    static let environment = ProcessInfo.processInfo.environment
    static let kills = environment["LIAISON_CRASH_KILLS"].flatMap { Int($0) } ?? 42
    static let statements = environment["LIAISON_CRASH_STATEMENTS"].flatMap { Int($0) } ?? 84

    @Test("SIGKILL at every instrumented step and at random moments: every statement once, every copy delivered")
    func campaign() async throws {
        let stack = try MailStack.load()
        let campaign = try CrashCampaign(stack: stack, kills: Self.kills, statements: Self.statements)
        let figures = try await campaign.execute()
        print(figures.report, terminator: "")
        if let path = Self.environment["LIAISON_CRASH_REPORT"] {
            try Data(figures.report.utf8).write(to: URL(fileURLWithPath: path))
        }

        #expect(figures.kills == Self.kills)
        #expect(figures.missedPoints.isEmpty, "every instrumented kill fired at its point: \(figures.missedPoints)")
        #expect(figures.unexpectedEndings.isEmpty, "\(figures.unexpectedEndings)")
        #expect(Self.kills < 2 * CrashPoint.allCases.count || CrashPoint.allCases.allSatisfy { figures.killsAt[$0, default: 0] > 0 })
        #expect(figures.integrityFailures.isEmpty, "\(figures.integrityFailures)")
        #expect(figures.integrityChecks == Self.kills + 1)

        // Every statement recorded exactly once, every message moved once.
        #expect(figures.recorded == Self.statements)
        #expect(figures.titlesRecordedTwice == 0 && figures.titlesMissing == 0)
        #expect(figures.receivedMessages == Self.statements)
        #expect(figures.quarantined == 0)
        #expect(figures.processedOnServer == Self.statements && figures.leftInInbox == 0 && figures.pendingMoves == 0)

        // A forward and an acknowledgement per statement, each delivered to every recipient.
        #expect(figures.outgoingMessages == 2 * Self.statements)
        #expect(figures.outgoingNotDone == 0)
        #expect(figures.lostCopies.isEmpty, "\(figures.lostCopies.prefix(20))")
        #expect(figures.unexpectedCopies.isEmpty, "\(figures.unexpectedCopies.prefix(20))")
        // Duplicates only from the 250-to-commit window: each after-send kill resends the message
        // it interrupted (same Message-ID, counted per Message-ID); a random kill may land there too.
        #expect(figures.duplicateSends >= figures.afterSendKills, "each after-send kill shows as a resend")
        #expect(figures.duplicateSends <= figures.afterSendKills + figures.randomKills)

        let log = try String(contentsOfFile: campaign.log, encoding: .utf8)
        #expect(!log.contains("did not answer ok"))
        #expect(log.contains("database integrity check ok"), "the daemon checks the database at every start")
    }
}
