import Foundation
import MIME

extension StatementStore {
    /// Why `message` gets no acknowledgement because its sender already had `limit` in the last
    /// 24 hours (RFC 3834 §2: automatic replies are rate-limited per sender), or `nil`.
    func acknowledgementRateLimitReason(for message: MIMEMessage, limit: Int, now: Date) async throws -> String? {
        guard let recipient = AutoReplyPolicy.acknowledgementRecipient(for: message) else { return nil }
        let recent = try await acknowledgementCount(to: recipient.address, since: now.addingTimeInterval(-86_400))
        return recent >= limit ? "rate limit: \(recent) acknowledgements to \(recipient.address) in the last 24 hours" : nil
    }
}
