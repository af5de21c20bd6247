import Foundation

/// What the pipeline reads about statements the IETF sends. ``StatementStore`` declares these;
/// the defaults here (nothing stored) let stores without outgoing statements conform unchanged.
extension StatementStore {
    /// Default: no outgoing statements.
    public func outgoingStatement(reference: StatementReference) async throws -> OutgoingStatementRecord? { nil }

    /// Default: no approval requests.
    public func outgoingStatement(approvalMessageID: String) async throws -> OutgoingStatementRecord? { nil }

    /// Default: no stored messages.
    public func receivedMessage(sha256: String) async throws -> [UInt8]? { nil }
}
