import Foundation

/// The part of the store the weekly digest run needs.
public protocol DigestStore: Sendable {
    /// Every statement that is not closed, oldest first.
    func unclosedStatements() async throws -> [RecordedStatement]

    /// The addresses (lowercased) that have a digest recorded for `week` or a later week: a clock
    /// set back never brings an earlier week's digest again.
    func digestRecipients(recordedFrom week: ISOWeek) async throws -> Set<String>

    /// Records a recipient's digest for its week and stores its message in the outbox (none for
    /// an empty digest), in one transaction, at most once per address and week.
    ///
    /// - Returns: `false`, storing nothing, when that recipient already has a digest for this
    ///   week or a later one.
    func recordDigest(_ digest: PlannedDigest, message: OutgoingMessage?, at date: Date) async throws -> Bool
}
