/// Where a statement the IETF sends stands:
/// `pending-approval` → `sent` (awaiting the peer's reply) → `replied`, or `closed` by hand.
public enum OutgoingState: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Checked and recorded; waiting for an approver's `Approved`.
    case pendingApproval = "pending-approval"
    /// Approved and sent to the peer; awaiting its reply.
    case sent
    /// The peer's reply was linked to it.
    case replied
    /// Closed without a reply (`liaison close`, `Action: taken`).
    case closed

    /// What can happen to an outgoing statement.
    public enum Event: Sendable, Equatable {
        /// An authorized approver approved it (or the submitter had the authority).
        case approved
        /// The peer's reply arrived.
        case replied
        /// Someone closed it.
        case closed
    }

    /// The state after `event`, or `nil` when the event does not apply (an approval of a
    /// statement already sent, a reply to one not yet sent).
    public func after(_ event: Event) -> OutgoingState? {
        switch (self, event) {
        case (.pendingApproval, .approved): .sent
        case (.sent, .replied): .replied
        case (.sent, .closed), (.pendingApproval, .closed): .closed
        default: nil
        }
    }

    /// Whether the statement still waits for the peer (reminders go to the From group).
    public var isAwaitingReply: Bool { self == .sent }

    /// `awaiting-reply` for `sent`, else the raw value.
    public var description: String { self == .sent ? "sent, awaiting reply" : rawValue }
}
