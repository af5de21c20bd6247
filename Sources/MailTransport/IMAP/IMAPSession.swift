import CCurl
import LiaisonCore
import Logging

/// One IMAP connection (one easy handle, one login) and the operations on it, all blocking.
///
/// Lives inside a ``BlockingExecutor`` and is only used from its queue. The request shapes follow
/// what libcurl 7.88 does reliably (docs/transport.md): message bodies through the URL form
/// (`…/MAILBOX;UIDVALIDITY=v/;UID=n`, exact bytes to the write callback); everything else as a
/// custom request whose untagged replies come back through the write callback; never a custom
/// SELECT/EXAMINE (libcurl tracks only its own selection); STATUS for UIDVALIDITY/UIDNEXT.
final class IMAPSession {
    /// The configured mailbox.
    let intake: IMAPMailboxName
    /// Where the server is, for URLs and messages.
    let server: ServerAddress
    /// New connections made so far (each one is one login).
    private(set) var connectionsOpened = 0
    /// Test knobs: exercise the fallbacks against a server that has the extensions.
    var useESearch = true
    var useMove = true
    /// The widest UID range one plain (non-ESEARCH) search covers; keeps each `* SEARCH` line
    /// under libcurl 7.88's silent 64 KiB line truncation (10 digits + space per UID).
    var searchWindow: UInt32 = 5000

    private let configuration: IMAPConfiguration
    private let easy: CurlEasy
    private let logger: Logger
    private var capabilities: Set<String>?
    private var hasTransferred = false
    /// The mailbox libcurl may have selected on the connection (wire name), as far as we know.
    private var selectedWire: String?
    /// Folders known to exist (checked with LIST or created), so moves need not fail first.
    private var knownFolders: Set<String> = []

    /// Creates the handle and sets the options that hold for every transfer.
    init(configuration: IMAPConfiguration, server: ServerAddress, logger: Logger) throws(TransportError) {
        self.configuration = configuration
        self.server = server
        self.intake = try IMAPMailboxName(configuration.mailbox)
        self.logger = logger
        easy = try CurlEasy()
        // Shared with the IDLE watcher's connection, so both verify TLS the same way.
        try IMAPConnectionOptions.apply(to: easy, configuration)
    }

    // MARK: - MailSource operations

    /// `STATUS "mailbox" (UIDVALIDITY UIDNEXT MESSAGES)` on the server URL: no selection change.
    ///
    /// Dovecot answers STATUS for the mailbox a connection has selected from that selection's
    /// view, which goes stale for good when the mailbox is deleted and re-created by another
    /// session (seen: old UIDVALIDITY and UIDs after minutes). So the selection is moved away
    /// first (see ``releaseSelection(of:_:)``).
    func status(of mailbox: IMAPMailboxName, _ token: CancellationToken) throws -> MailboxStatus {
        try releaseSelection(of: mailbox, token)
        let request = IMAPRequest(
            command: "STATUS \(mailbox.quoted) (UIDVALIDITY UIDNEXT MESSAGES)", verb: "STATUS", mailbox: mailbox)
        let (transfer, response) = try perform(request, token)
        guard transfer.succeeded else {
            if transfer.code == CURLE_QUOTE_ERROR, let tagged = response.tagged, tagged.status == "NO" {
                throw TransportError.mailboxUnavailable(
                    server: server.description, mailbox: mailbox.display, response: scrub(tagged.line))
            }
            throw failure(transfer, response, request)
        }
        guard let status = response.status() else {
            throw TransportError.protocolViolation(
                server: server.description,
                detail:
                    "STATUS for mailbox \(TransportError.quoted(mailbox.display)) lacked UIDVALIDITY, UIDNEXT or MESSAGES"
            )
        }
        return MailboxStatus(uidValidity: status.uidValidity, uidNext: status.uidNext, messages: status.messages)
    }

    /// The UIDs above `uid` in `mailbox`, ascending: NOOP, then an incremental UID search.
    func uids(in mailbox: IMAPMailboxName, after uid: UInt32, _ token: CancellationToken) throws -> [UInt32] {
        guard uid < UInt32.max else { return [] }
        // A fresh SELECT per poll: a long-lived selection never sees the mailbox re-created.
        try releaseSelection(of: mailbox, token)
        // NOOP first: a long-selected connection may not see mail dropped into Maildir/new
        // until Dovecot resyncs. The mailbox URL makes libcurl SELECT it if needed.
        try run(IMAPRequest(command: "NOOP", verb: "NOOP", mailbox: mailbox, path: .mailbox(mailbox)), token)
        let first = uid + 1
        if useESearch, try capabilitySet(token).contains("ESEARCH") {
            let request = IMAPRequest(
                command: "UID SEARCH RETURN (ALL COUNT) UID \(first):*", verb: "UID SEARCH", mailbox: mailbox,
                path: .mailbox(mailbox))
            let response = try run(request, token)
            if let result = try? response.esearch(), response.untagged.allSatisfy(Self.isUntagged),
                result.count == nil || result.count == result.uids.count
            {
                return Self.newest(result.uids, after: uid)
            }
            logger.info(
                "ESEARCH reply unusable (truncated?); searching in bounded windows",
                metadata: ["imap.mailbox": "\(mailbox.display)"])
        }
        return try windowedSearch(in: mailbox, after: uid, token)
    }

    /// The exact bytes of message `uid`, checked against RFC822.SIZE, with `\Seen` restored.
    func fetch(uid: UInt32, uidValidity: UInt32, _ token: CancellationToken) throws -> [UInt8] {
        // The URL carries ;UIDVALIDITY=: libcurl re-SELECTs when it differs from what the
        // connection's SELECT reported and then fails with 78 if the mailbox's value differs.
        // status() and uids(after:) release the selection each poll, so that SELECT is fresh.
        let path = IMAPRequest.Path.mailbox(intake, uidValidity: uidValidity)
        let sizeRequest = IMAPRequest(
            command: "UID FETCH \(uid) (UID RFC822.SIZE FLAGS)", verb: "UID FETCH", mailbox: intake, uid: uid,
            path: path, uidValidity: uidValidity)
        let sizeResponse = try run(sizeRequest, token)
        guard let attributes = sizeResponse.fetchAttributes(uid: uid) else {
            throw MailSourceError.messageNotFound(uid: uid)
        }
        guard let size = attributes["RFC822.SIZE"]?.number.flatMap({ Int(exactly: $0) }) else {
            throw TransportError.protocolViolation(
                server: server.description, detail: "UID FETCH \(uid) returned no RFC822.SIZE")
        }
        let wasSeen = attributes["FLAGS"]?.elements?.contains { $0.text?.lowercased() == "\\seen" } ?? false

        let bodyRequest = IMAPRequest(
            command: nil, verb: "UID FETCH BODY[]", mailbox: intake, uid: uid,
            path: .message(intake, uidValidity: uidValidity, uid: uid), uidValidity: uidValidity,
            bodyIsMessage: true, expectedSize: size)
        var (transfer, response) = try perform(bodyRequest, token)
        if transfer.code == CURLE_WEIRD_SERVER_REPLY {
            // An unsolicited `* n FETCH (FLAGS …)` arriving first makes 7.88 give up on the
            // response; the next attempt sees a quiet connection.
            logger.info(
                "Retrying message fetch after an unexpected FETCH reply",
                metadata: ["imap.mailbox": "\(intake.display)", "imap.uid": "\(uid)"])
            (transfer, response) = try perform(bodyRequest, token)
        }
        if !wasSeen, transfer.code != CURLE_REMOTE_FILE_NOT_FOUND {
            restoreUnseen(uid: uid, uidValidity: uidValidity, token)
        }
        if transfer.bodyLimitExceeded {
            throw MailSourceError.sizeMismatch(uid: uid, expected: size, received: transfer.bodyBytesOffered)
        }
        guard transfer.succeeded else { throw failure(transfer, response, bodyRequest) }
        guard transfer.body.count == size else {
            throw MailSourceError.sizeMismatch(uid: uid, expected: size, received: transfer.body.count)
        }
        return transfer.body
    }

    /// Moves `uid` from the intake mailbox into `folder`, creating the folder if needed.
    func move(uid: UInt32, to folder: IMAPMailboxName, _ token: CancellationToken) throws {
        let capabilities = try capabilitySet(token)
        // Every NO makes libcurl drop the connection, so create a missing folder up front
        // instead of waiting for [TRYCREATE]; that path stays for folders deleted meanwhile.
        try ensureExists(folder, token)
        if useMove, capabilities.contains("MOVE") {
            let request = IMAPRequest(
                command: "UID MOVE \(uid) \(folder.quoted)", verb: "UID MOVE", mailbox: intake, uid: uid,
                path: .mailbox(intake))
            let response = try runCreatingTarget(request, folder: folder, token)
            guard response.reportsExpunge || response.copyUID != nil else {
                throw MailSourceError.messageNotFound(uid: uid)
            }
            return
        }
        guard capabilities.contains("UIDPLUS") else {
            throw TransportError.missingCapability(server: server.description, capability: "MOVE or UIDPLUS")
        }
        // COPY + STORE \Deleted + UID EXPUNGE of this UID only (a plain EXPUNGE would also remove
        // messages other clients flagged). A crash in between leaves a copy in both mailboxes.
        let copy = IMAPRequest(
            command: "UID COPY \(uid) \(folder.quoted)", verb: "UID COPY", mailbox: intake, uid: uid,
            path: .mailbox(intake))
        let copied = try runCreatingTarget(copy, folder: folder, token)
        guard copied.copyUID != nil else { throw MailSourceError.messageNotFound(uid: uid) }
        try run(
            IMAPRequest(
                command: "UID STORE \(uid) +FLAGS.SILENT (\\Deleted)", verb: "UID STORE", mailbox: intake, uid: uid,
                path: .mailbox(intake)), token)
        try run(
            IMAPRequest(
                command: "UID EXPUNGE \(uid)", verb: "UID EXPUNGE", mailbox: intake, uid: uid, path: .mailbox(intake)),
            token)
    }

    // MARK: - Helpers for tests and tools

    /// Only the URL-form download of `uid` (no size check, no `\Seen` restore): exercises the
    /// mapping of libcurl's code 78 directly.
    func download(uid: UInt32, uidValidity: UInt32, _ token: CancellationToken) throws -> [UInt8] {
        let request = IMAPRequest(
            command: nil, verb: "UID FETCH BODY[]", mailbox: intake, uid: uid,
            path: .message(intake, uidValidity: uidValidity, uid: uid), uidValidity: uidValidity, bodyIsMessage: true)
        let (transfer, response) = try perform(request, token)
        guard transfer.succeeded else { throw failure(transfer, response, request) }
        return transfer.body
    }

    /// Uploads `message` into `mailbox` (APPEND); returns the APPENDUID UID when reported.
    func append(_ message: [UInt8], to mailbox: IMAPMailboxName, _ token: CancellationToken) throws -> UInt32? {
        try MessageValidation.requireCanonicalLineEndings(message)
        let request = IMAPRequest(
            command: nil, verb: "APPEND", mailbox: mailbox, path: .mailbox(mailbox), upload: message)
        return try run(request, token).tagged?.appendUID
    }

    /// Makes sure `mailbox` exists: `LIST` it (never a NO, so the connection stays), `CREATE` it
    /// when missing.
    func ensureExists(_ mailbox: IMAPMailboxName, _ token: CancellationToken) throws {
        if knownFolders.contains(mailbox.wire) { return }
        let listed = try run(IMAPRequest(command: "LIST \"\" \(mailbox.quoted)", verb: "LIST", mailbox: mailbox), token)
        if !listed.listedWireNames().contains(mailbox.wire) {
            try create(mailbox, token)
        }
        knownFolders.insert(mailbox.wire)
    }

    /// `CREATE "name"`; `false` when the mailbox already existed.
    @discardableResult
    func create(_ mailbox: IMAPMailboxName, _ token: CancellationToken) throws -> Bool {
        let request = IMAPRequest(command: "CREATE \(mailbox.quoted)", verb: "CREATE", mailbox: mailbox)
        let (transfer, response) = try perform(request, token)
        if transfer.succeeded { return true }
        if transfer.code == CURLE_QUOTE_ERROR, let tagged = response.tagged,
            tagged.codeName == "ALREADYEXISTS" || tagged.line.lowercased().contains("already exists")
        {
            return false
        }
        throw failure(transfer, response, request)
    }

    /// `DELETE "name"`.
    func delete(_ mailbox: IMAPMailboxName, _ token: CancellationToken) throws {
        knownFolders.remove(mailbox.wire)
        try releaseSelection(of: mailbox, token)
        try run(IMAPRequest(command: "DELETE \(mailbox.quoted)", verb: "DELETE", mailbox: mailbox), token)
    }

    /// `LIST "" "*"`: every mailbox name, decoded.
    func list(_ token: CancellationToken) throws -> [String] {
        try run(IMAPRequest(command: "LIST \"\" \"*\"", verb: "LIST"), token).listedMailboxes()
    }

    /// The flags of `uid` in `mailbox`; `nil` when the UID does not exist.
    func flags(uid: UInt32, in mailbox: IMAPMailboxName, _ token: CancellationToken) throws -> [String]? {
        let request = IMAPRequest(
            command: "UID FETCH \(uid) (UID FLAGS)", verb: "UID FETCH", mailbox: mailbox, uid: uid,
            path: .mailbox(mailbox))
        let attributes = try run(request, token).fetchAttributes(uid: uid)
        return attributes.map { $0["FLAGS"]?.elements?.compactMap(\.text) ?? [] }
    }

    /// `UID STORE uid <change> (flags)`, e.g. `-FLAGS.SILENT (\Seen)`.
    func store(uid: UInt32, in mailbox: IMAPMailboxName, _ change: String, _ token: CancellationToken) throws {
        try run(
            IMAPRequest(
                command: "UID STORE \(uid) \(change)", verb: "UID STORE", mailbox: mailbox, uid: uid,
                path: .mailbox(mailbox)), token)
    }

    // MARK: - Internals

    /// Makes libcurl select another mailbox (INBOX) if `mailbox` may be selected, so the next
    /// STATUS is answered from the mailbox itself and the next use of `mailbox` SELECTs it anew.
    ///
    /// libcurl tracks only its own SELECTs and never re-selects a mailbox it believes selected;
    /// a custom SELECT would desynchronise it, so this uses its URL logic: a NOOP on `INBOX/`.
    /// INBOX itself cannot be deleted, so it needs no release; but Dovecot answers STATUS for a
    /// selected INBOX from the selection's view, which only a command on it brings up to date
    /// (without it a running daemon never saw mail appended after its first fetch), so the same
    /// NOOP on `INBOX/` resynchronises it.
    private func releaseSelection(of mailbox: IMAPMailboxName, _ token: CancellationToken) throws {
        guard selectedWire == mailbox.wire else { return }
        try run(IMAPRequest(command: "NOOP", verb: "NOOP", mailbox: .inbox, path: .mailbox(.inbox)), token)
    }

    /// The server's capabilities after login, asked once per connection with `CAPABILITY`.
    private func capabilitySet(_ token: CancellationToken) throws -> Set<String> {
        if let capabilities { return capabilities }
        let response = try run(IMAPRequest(command: "CAPABILITY", verb: "CAPABILITY"), token)
        guard let found = IMAPResponse.capabilities(in: response.untagged) else {
            throw TransportError.protocolViolation(server: server.description, detail: "no CAPABILITY line")
        }
        capabilities = found
        return found
    }

    /// Searches `(uid, UIDNEXT)` in windows of ``searchWindow`` UIDs, the last one open-ended.
    private func windowedSearch(in mailbox: IMAPMailboxName, after uid: UInt32, _ token: CancellationToken) throws
        -> [UInt32]
    {
        let uidNext = try status(of: mailbox, token).uidNext
        let esearch = try useESearch && capabilitySet(token).contains("ESEARCH")
        var found: [UInt32] = []
        var low = uid + 1
        while true {
            let (high, overflow) = low.addingReportingOverflow(max(searchWindow, 1) - 1)
            let isLast = overflow || high >= uidNext &- 1 || uidNext == 0
            let range = isLast ? "\(low):*" : "\(low):\(high)"
            let command = esearch ? "UID SEARCH RETURN (ALL COUNT) UID \(range)" : "UID SEARCH UID \(range)"
            let response = try run(
                IMAPRequest(command: command, verb: "UID SEARCH", mailbox: mailbox, path: .mailbox(mailbox)), token)
            guard response.untagged.allSatisfy(Self.isUntagged) else {
                throw TransportError.protocolViolation(
                    server: server.description, detail: "a UID SEARCH reply line arrived truncated")
            }
            do {
                if esearch {
                    guard let result = try response.esearch(), result.count == nil || result.count == result.uids.count
                    else {
                        throw IMAPParseError("no complete ESEARCH reply")
                    }
                    found += result.uids
                } else {
                    guard let result = try response.search() else { throw IMAPParseError("no SEARCH reply") }
                    found += result
                }
            } catch let error as IMAPParseError {
                throw TransportError.protocolViolation(server: server.description, detail: "UID SEARCH: \(error)")
            }
            if isLast { break }
            low = high + 1
            try token.check()
        }
        return Self.newest(found, after: uid)
    }

    /// Runs a command whose target folder may not exist: on NO, CREATE it and try once more.
    private func runCreatingTarget(
        _ request: IMAPRequest, folder: IMAPMailboxName, _ token: CancellationToken
    ) throws -> IMAPResponse {
        var (transfer, response) = try perform(request, token)
        if !transfer.succeeded, transfer.code == CURLE_QUOTE_ERROR, let tagged = response.tagged, tagged.status == "NO"
        {
            // [TRYCREATE] says so; a bare NO might, too. If CREATE finds the folder already
            // there, the NO was about something else.
            knownFolders.remove(folder.wire)
            let created = try create(folder, token)
            knownFolders.insert(folder.wire)
            if created || tagged.codeName == "TRYCREATE" {
                logger.debug(
                    "Created the target mailbox",
                    metadata: ["imap.mailbox": "\(folder.display)", "imap.uid": "\(request.uid ?? 0)"])
                (transfer, response) = try perform(request, token)
            }
        }
        guard transfer.succeeded else {
            if let uid = request.uid, let tagged = response.tagged, tagged.status == "NO",
                tagged.codeName == "NONEXISTENT" || tagged.line.lowercased().contains("no such message")
            {
                throw MailSourceError.messageNotFound(uid: uid)
            }
            throw failure(transfer, response, request)
        }
        return response
    }

    /// Clears `\Seen` that the URL fetch set; best effort (the daemon does not rely on `\Seen`).
    private func restoreUnseen(uid: UInt32, uidValidity: UInt32, _ token: CancellationToken) {
        let request = IMAPRequest(
            command: "UID STORE \(uid) -FLAGS.SILENT (\\Seen)", verb: "UID STORE", mailbox: intake, uid: uid,
            path: .mailbox(intake, uidValidity: uidValidity), uidValidity: uidValidity)
        do {
            try run(request, token)
        } catch {
            logger.info(
                "Could not restore the unseen state after fetching",
                metadata: ["imap.mailbox": "\(intake.display)", "imap.uid": "\(uid)", "error": "\(error)"])
        }
    }

    /// Performs `request` and throws the mapped error unless it succeeded.
    @discardableResult
    private func run(_ request: IMAPRequest, _ token: CancellationToken) throws -> IMAPResponse {
        let (transfer, response) = try perform(request, token)
        guard transfer.succeeded else { throw failure(transfer, response, request) }
        return response
    }

    /// Sets the per-transfer options, performs, and retries once on a fresh connection when a
    /// reused one turned out to be dead (55/56/7 before the server answered the command).
    private func perform(_ request: IMAPRequest, _ token: CancellationToken) throws -> (CurlTransfer, IMAPResponse) {
        var retried = false
        while true {
            try token.check()
            try configure(for: request)
            let transfer = easy.perform(
                upload: request.upload ?? [],
                bodyLimit: request.bodyIsMessage ? request.expectedSize : nil,
                reserve: request.bodyIsMessage ? (request.expectedSize ?? 0) : 0,
                cancellation: token)
            if token.isCancelled { throw CancellationError() }
            let reused = hasTransferred
            hasTransferred = true
            switch request.path {
            case .server where transfer.newConnections > 0: selectedWire = nil
            case .server: break
            case .mailbox(let name, _), .message(let name, _, _): selectedWire = name.wire
            }
            if transfer.newConnections > 0 {
                connectionsOpened += transfer.newConnections
                capabilities = nil
                logger.debug("Connected and logged in", metadata: ["imap.mailbox": "\(intake.display)"])
            }
            let response = IMAPResponse(
                body: request.bodyIsMessage ? [] : transfer.body, headerLines: transfer.headerLines)
            if !transfer.succeeded, !retried, reused, response.tagged == nil,
                [CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_COULDNT_CONNECT].contains(transfer.code)
            {
                retried = true
                logger.info(
                    "IMAP connection was dropped; retrying on a new connection",
                    metadata: ["imap.mailbox": "\(intake.display)", "curl.code": "\(transfer.number)"])
                continue
            }
            return (transfer, response)
        }
    }

    /// Sets every option that differs between transfers.
    private func configure(for request: IMAPRequest) throws(TransportError) {
        try easy.set(CURLOPT_URL, server.description + request.path.urlPath)
        try easy.set(CURLOPT_CUSTOMREQUEST, request.command)
        if let upload = request.upload {
            try easy.set(CURLOPT_UPLOAD, 1)
            try easy.set(CURLOPT_INFILESIZE_LARGE, large: Int64(upload.count))
        } else {
            try easy.set(CURLOPT_UPLOAD, 0)
            try easy.set(CURLOPT_INFILESIZE_LARGE, large: -1)
        }
        // Commands get a hard limit; message transfers only the low-speed limit.
        let bulk = request.bodyIsMessage || request.upload != nil
        try easy.set(CURLOPT_TIMEOUT_MS, bulk ? 0 : configuration.transferTimeout.curlMilliseconds)
    }

    /// Maps a failed transfer to the error the caller sees.
    private func failure(_ transfer: CurlTransfer, _ response: IMAPResponse, _ request: IMAPRequest) -> any Error {
        let server = server.description
        let taggedText = response.tagged.map { scrub($0.line) }
        let message = scrub(transfer.message) + (taggedText.map { "; server said: \($0)" } ?? "")
        let code = transfer.number
        switch transfer.code {
        case CURLE_REMOTE_FILE_NOT_FOUND where request.uid != nil || request.uidValidity != nil:
            // 78 is both "Mailbox UIDVALIDITY has changed" (from libcurl's SELECT check) and
            // "Remote file not found" (no FETCH data). Only the error buffer tells them apart:
            // the header lines always hold `[UIDVALIDITY n]` when libcurl SELECTed.
            if transfer.errorText.uppercased().contains("UIDVALIDITY"), let uidValidity = request.uidValidity {
                return MailSourceError.uidValidityChanged(mailbox: intake.display, expected: uidValidity)
            }
            if let uid = request.uid { return MailSourceError.messageNotFound(uid: uid) }
            return TransportErrorMapping.map(transfer, server: server, message: message)
        case CURLE_LOGIN_DENIED:
            // 67 is both a refused login and a failed SELECT.
            if transfer.errorText.lowercased().contains("select"), let mailbox = request.mailbox {
                return TransportError.mailboxUnavailable(
                    server: server, mailbox: mailbox.display, response: taggedText ?? scrub(transfer.message))
            }
            return TransportError.authenticationFailed(
                server: server, username: configuration.username, code: code, message: message)
        case CURLE_QUOTE_ERROR, CURLE_UPLOAD_FAILED:
            return TransportError.commandFailed(
                server: server, command: request.verb, mailbox: request.mailbox?.display, uid: request.uid,
                response: taggedText ?? scrub(transfer.message))
        default:
            return TransportErrorMapping.map(transfer, server: server, message: message)
        }
    }

    private func scrub(_ text: String) -> String {
        Redaction.scrub(text, secret: configuration.password)
    }

    /// Whether a write-callback line is a whole untagged response (not a truncated fragment).
    private static func isUntagged(_ line: String) -> Bool {
        line.hasPrefix("* ")
    }

    /// `uids` above `uid`, ascending and unique (`n:*` always includes the highest UID).
    private static func newest(_ uids: [UInt32], after uid: UInt32) -> [UInt32] {
        Array(Set(uids.filter { $0 > uid })).sorted()
    }
}
