import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// An IMAP connection that libcurl opened, secured and logged in (`CURLOPT_CONNECT_ONLY`), on
/// which we then speak IMAP ourselves with `curl_easy_send`/`curl_easy_recv` (libcurl has no IDLE).
///
/// The socket is non-blocking; waiting is done with `poll()` in slices of at most
/// ``pollSlice``, so a cancellation is noticed within that time. Not thread-safe: it lives in an
/// ``IMAPIdleSession`` inside a ``BlockingExecutor``.
final class IMAPRawConnection {
    /// The longest a single `poll()` waits before the cancellation flag is checked again.
    static let pollSlice: Duration = .milliseconds(200)

    private let easy: CurlEasy
    private let socket: Int32
    private let server: String
    private let secret: String
    private var reader = IMAPLineReader()

    /// Connects, negotiates TLS as configured and logs in; nothing else is sent.
    ///
    /// - Throws: the ``TransportError`` for the failure (TLS, refused login, no connection…).
    init(configuration: IMAPConfiguration, server: ServerAddress, token: CancellationToken) throws {
        self.server = server.description
        self.secret = configuration.password
        easy = try CurlEasy()
        try IMAPConnectionOptions.apply(to: easy, configuration)
        try easy.set(CURLOPT_CONNECT_ONLY, 1)
        try easy.set(CURLOPT_URL, server.description + "/")
        try easy.set(CURLOPT_TIMEOUT_MS, configuration.transferTimeout.curlMilliseconds)
        let transfer = easy.perform(cancellation: token)
        if token.isCancelled { throw CancellationError() }
        guard transfer.succeeded else {
            throw Self.connectFailure(transfer, server: server.description, configuration: configuration)
        }
        guard let socket = easy.activeSocket() else {
            throw TransportError.connectionFailed(
                server: server.description, code: 0, message: "libcurl reported no connected socket after login")
        }
        self.socket = socket
    }

    deinit {
        // curl_easy_cleanup sends LOGOUT and waits for its reply: bound that wait, so a server
        // that stopped answering cannot hold up a shutdown.
        try? easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, 5)
        try? easy.set(CURLOPT_TIMEOUT_MS, 5000)
    }

    /// Sends one command line (CRLF is added), waiting for the socket to accept it.
    func send(_ line: String, until deadline: ContinuousClock.Instant, token: CancellationToken?) throws {
        let bytes = Array((line + "\r\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let (code, count) = bytes.withUnsafeBytes { easy.send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            if code == CURLE_OK {
                offset += count
                continue
            }
            guard code == CURLE_AGAIN else { throw ioFailure(code, "sending a command") }
            guard try wait(for: Int16(POLLOUT), until: deadline, token: token) else {
                throw TransportError.timedOut(
                    server: server, code: Int(CURLE_OPERATION_TIMEDOUT.rawValue),
                    message: "the connection did not accept a command in time")
            }
        }
    }

    /// The next response line, or `nil` when `deadline` passes first.
    ///
    /// - Throws: `CancellationError` when `token` is cancelled, a ``TransportError`` when the
    ///   connection fails or the server closes it, or a protocol violation for an overlong line.
    func readLine(until deadline: ContinuousClock.Instant, token: CancellationToken?) throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            do {
                if let line = try reader.nextLine() { return line }
            } catch {
                throw TransportError.protocolViolation(server: server, detail: "IDLE connection: \(error)")
            }
            // Receive before polling: TLS may already hold decrypted bytes the socket does not show.
            let (code, count) = chunk.withUnsafeMutableBytes { easy.receive(into: $0) }
            if code == CURLE_OK {
                guard count > 0 else {
                    throw TransportError.connectionFailed(
                        server: server, code: Int(CURLE_RECV_ERROR.rawValue), message: "the server closed the connection")
                }
                reader.append(chunk[..<count])
                continue
            }
            guard code == CURLE_AGAIN else { throw ioFailure(code, "reading a response") }
            guard try wait(for: Int16(POLLIN), until: deadline, token: token) else { return nil }
        }
    }

    /// Polls the socket for `events` until ready (`true`) or `deadline` (`false`), in slices.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant, token: CancellationToken?) throws
        -> Bool
    {
        let clock = ContinuousClock()
        while true {
            if let token { try token.check() }
            let remaining = deadline - clock.now
            guard remaining > .zero else { return false }
            let slice = min(remaining, Self.pollSlice)
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let result = poll(&descriptor, 1, Int32(max(1, slice.curlMilliseconds)))
            if result > 0 { return true }  // readable, writable, or an error/hang-up recv will report
            if result < 0, errno != EINTR {
                throw TransportError.connectionFailed(
                    server: server, code: 0, message: "poll() failed with errno \(errno)")
            }
        }
    }

    private func ioFailure(_ code: CURLcode, _ what: String) -> TransportError {
        let text = Redaction.scrub(CurlEasy.describe(code), secret: secret)
        if TransportErrorMapping.tlsCodes.contains(code.rawValue) {
            return .tlsFailed(server: server, code: Int(code.rawValue), message: "\(what): \(text)")
        }
        return .connectionFailed(server: server, code: Int(code.rawValue), message: "\(what): \(text)")
    }

    /// The error for a failed connect-and-login, mapped as for the polling session.
    static func connectFailure(_ transfer: CurlTransfer, server: String, configuration: IMAPConfiguration)
        -> TransportError
    {
        let response = IMAPResponse(body: [], headerLines: transfer.headerLines)
        let tagged = response.tagged.map { Redaction.scrub($0.line, secret: configuration.password) }
        let message =
            Redaction.scrub(transfer.message, secret: configuration.password)
            + (tagged.map { "; server said: \($0)" } ?? "")
        if transfer.code == CURLE_LOGIN_DENIED {
            return .authenticationFailed(
                server: server, username: configuration.username, code: transfer.number, message: message)
        }
        return TransportErrorMapping.map(transfer, server: server, message: message)
    }
}
