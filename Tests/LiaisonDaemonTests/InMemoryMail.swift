import Foundation
import LiaisonCore
import Synchronization

/// An IMAP account in memory, for unit tests of the pipeline's ordering rules: folders of
/// (UID, bytes), a UIDVALIDITY, and switches that make the next operations fail.
final class InMemoryMailbox: MailSource, Sendable {
    struct State {
        var uidValidity: UInt32 = 1
        var uidNext: UInt32 = 1
        var folders: [String: [(uid: UInt32, bytes: [UInt8])]] = ["INBOX": []]
        var failFetches: Set<UInt32> = []
        var failMoves = false
        var fetchCount = 0
    }

    let mailbox = "INBOX"
    let state = Mutex(State())

    struct Unavailable: Error {}

    @discardableResult
    func deliver(_ bytes: [UInt8]) -> UInt32 {
        state.withLock { state in
            let uid = state.uidNext
            state.uidNext += 1
            state.folders["INBOX", default: []].append((uid, bytes))
            return uid
        }
    }

    /// Deletes and re-creates INBOX with the same messages under new UIDs and a new UIDVALIDITY.
    func recreate() {
        state.withLock { state in
            let messages = state.folders["INBOX"] ?? []
            state.uidValidity += 1
            state.uidNext = 1
            state.folders["INBOX"] = messages.map { message in
                defer { state.uidNext += 1 }
                return (state.uidNext, message.bytes)
            }
        }
    }

    func count(_ folder: String) -> Int {
        state.withLock { $0.folders[folder]?.count ?? 0 }
    }

    func status() async throws -> MailboxStatus {
        state.withLock { MailboxStatus(uidValidity: $0.uidValidity, uidNext: $0.uidNext, messages: $0.folders["INBOX"]?.count ?? 0) }
    }

    func uids(after uid: UInt32) async throws -> [UInt32] {
        state.withLock { $0.folders["INBOX", default: []].map(\.uid).filter { $0 > uid } }
    }

    func fetch(uid: UInt32, uidValidity: UInt32) async throws -> [UInt8] {
        try state.withLock { state in
            guard uidValidity == state.uidValidity else {
                throw MailSourceError.uidValidityChanged(mailbox: "INBOX", expected: uidValidity)
            }
            if state.failFetches.contains(uid) { throw Unavailable() }
            guard let message = state.folders["INBOX"]?.first(where: { $0.uid == uid }) else {
                throw MailSourceError.messageNotFound(uid: uid)
            }
            state.fetchCount += 1
            return message.bytes
        }
    }

    func move(uid: UInt32, to folder: String) async throws {
        try state.withLock { state in
            if state.failMoves { throw Unavailable() }
            guard let index = state.folders["INBOX"]?.firstIndex(where: { $0.uid == uid }),
                let message = state.folders["INBOX"]?.remove(at: index)
            else {
                throw MailSourceError.messageNotFound(uid: uid)
            }
            state.folders[folder, default: []].append(message)
        }
    }
}

/// Records what would have been sent; recipients starting with `nosuch` are refused (550) and
/// the whole server can be switched to temporary failure (451).
final class RecordingSender: MailSender, Sendable {
    struct Sent {
        var raw: [UInt8]
        var envelope: MailEnvelope
    }

    let sent = Mutex<[Sent]>([])
    let temporarilyDown = Mutex(false)

    func send(_ message: [UInt8], envelope: MailEnvelope) async throws -> [RecipientResult] {
        if temporarilyDown.withLock({ $0 }) {
            return envelope.recipients.map { RecipientResult(address: $0, outcome: .temporaryFailure, code: 451, detail: "try later") }
        }
        sent.withLock { $0.append(Sent(raw: message, envelope: envelope)) }
        return envelope.recipients.map { address in
            address.hasPrefix("nosuch")
                ? RecipientResult(address: address, outcome: .permanentFailure, code: 550, detail: "no such user")
                : RecipientResult(address: address, outcome: .delivered, code: 250, detail: "ok")
        }
    }
}
