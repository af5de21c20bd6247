import CCurl

/// One libcurl easy handle with its error buffer and callback sinks.
///
/// Not thread-safe and not `Sendable`: a handle belongs to one ``BlockingExecutor`` and is only
/// used from its queue. The handle keeps its connection (and IMAP login and selection) between
/// transfers; options stay set until changed, so callers set every per-transfer option each time.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let context = CurlTransferContext()
    private var lists: [UInt32: UnsafeMutablePointer<curl_slist>] = [:]

    /// Creates a handle with the callbacks, the error buffer and `CURLOPT_NOSIGNAL` set.
    ///
    /// - Throws: ``TransportError/libcurlUnavailable(reason:)`` when libcurl cannot be initialised.
    init() throws(TransportError) {
        try CurlGlobal.initialize()
        guard let handle = curl_easy_init() else {
            throw .libcurlUnavailable(reason: "curl_easy_init returned no handle")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CCURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CCURL_ERROR_SIZE))

        let userdata = Unmanaged.passUnretained(context).toOpaque()
        try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try set(CURLOPT_NOSIGNAL, 1)
        try check(ccurl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.write), "WRITEFUNCTION")
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata), "CURLOPT_WRITEDATA")
        try check(ccurl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, CurlCallbacks.header), "HEADERFUNCTION")
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata), "CURLOPT_HEADERDATA")
        try check(ccurl_setopt_read_callback(handle, CurlCallbacks.read), "CURLOPT_READFUNCTION")
        try check(ccurl_setopt_pointer(handle, CURLOPT_READDATA, userdata), "CURLOPT_READDATA")
        try check(ccurl_setopt_xferinfo_callback(handle, CurlCallbacks.progress), "CURLOPT_XFERINFOFUNCTION")
        try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, userdata), "CURLOPT_XFERINFODATA")
        try set(CURLOPT_NOPROGRESS, 0)
    }

    deinit {
        // libcurl may still call the header callback here (LOGOUT/QUIT reply): `context` is a
        // stored property and outlives this body.
        curl_easy_cleanup(handle)
        for list in lists.values { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    // MARK: Options

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ccurl_setopt_long(handle, option, value), option)
    }

    /// Sets a `curl_off_t` option (the `_LARGE` ones).
    func set(_ option: CURLoption, large value: Int64) throws(TransportError) {
        try check(ccurl_setopt_off(handle, option, curl_off_t(value)), option)
    }

    /// Sets a string option (libcurl copies it); `nil` restores the default.
    func set(_ option: CURLoption, _ value: String?) throws(TransportError) {
        let code: CURLcode
        if let value {
            code = value.withCString { ccurl_setopt_string(handle, option, $0) }
        } else {
            code = ccurl_setopt_string(handle, option, nil)
        }
        try check(code, option)
    }

    /// Sets a string-list option; the list is kept alive until replaced or the handle is freed.
    func set(_ option: CURLoption, list values: [String]) throws(TransportError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values {
            guard let extended = value.withCString({ curl_slist_append(list, $0) }) else {
                if let list { curl_slist_free_all(list) }
                throw .libcurlUnavailable(reason: "curl_slist_append failed (out of memory)")
            }
            list = extended
        }
        let code = ccurl_setopt_slist(handle, option, list)
        if let old = lists.removeValue(forKey: option.rawValue) { curl_slist_free_all(old) }
        if let list { lists[option.rawValue] = list }
        try check(code, option)
    }

    // MARK: Transfer

    /// Runs one transfer and collects its outcome; never throws for transfer failures.
    ///
    /// - Parameters:
    ///   - upload: the bytes to send (set `CURLOPT_UPLOAD` and the size separately).
    ///   - bodyLimit: abort when the write callback would receive more than this.
    ///   - reserve: capacity to reserve for the body (e.g. the announced message size).
    ///   - uploadGate: asked before the first upload byte; `false` aborts without sending.
    ///   - cancellation: polled by the progress callback.
    func perform(
        upload: [UInt8] = [],
        bodyLimit: Int? = nil,
        reserve: Int = 0,
        uploadGate: ((CurlTransferContext) -> Bool)? = nil,
        cancellation: CancellationToken? = nil
    ) -> CurlTransfer {
        context.reset()
        context.upload = upload
        context.bodyLimit = bodyLimit
        context.uploadGate = uploadGate
        context.cancellation = cancellation
        if reserve > 0 { context.body.reserveCapacity(reserve) }
        errorBuffer[0] = 0

        let code = curl_easy_perform(handle)

        var connects = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        var responseCode = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let transfer = CurlTransfer(
            code: code,
            codeText: Self.describe(code),
            errorText: String(cString: errorBuffer),
            body: context.body,
            headerLines: context.headerLines,
            newConnections: connects,
            responseCode: responseCode,
            bodyLimitExceeded: context.bodyLimitExceeded,
            bodyBytesOffered: context.bodyBytesOffered,
            uploadRefused: context.uploadRefused
        )
        context.reset()
        return transfer
    }

    // MARK: Raw connection (CURLOPT_CONNECT_ONLY)

    /// The connection's socket after a `CURLOPT_CONNECT_ONLY` perform (`CURLINFO_ACTIVESOCKET`);
    /// `nil` when there is none. For `poll()` only: bytes go through ``send(_:)`` and
    /// ``receive(into:)``, which handle TLS.
    func activeSocket() -> Int32? {
        var socket: curl_socket_t = -1
        guard ccurl_getinfo_socket(handle, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK, socket >= 0 else { return nil }
        return socket
    }

    /// `curl_easy_send` on a connect-only connection: non-blocking, may send fewer bytes than
    /// given or return `CURLE_AGAIN`.
    func send(_ bytes: UnsafeRawBufferPointer) -> (code: CURLcode, count: Int) {
        var sent = 0
        let code = curl_easy_send(handle, bytes.baseAddress, bytes.count, &sent)
        return (code, sent)
    }

    /// `curl_easy_recv` on a connect-only connection: non-blocking; `CURLE_AGAIN` when nothing is
    /// there yet, `CURLE_OK` with 0 bytes when the server closed the connection.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> (code: CURLcode, count: Int) {
        var received = 0
        let code = curl_easy_recv(handle, buffer.baseAddress, buffer.count, &received)
        return (code, received)
    }

    /// `curl_easy_strerror` as a Swift string.
    static func describe(_ code: CURLcode) -> String {
        curl_easy_strerror(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)"
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(TransportError) {
        try check(code, "option \(option.rawValue)")
    }

    private func check(_ code: CURLcode, _ what: String) throws(TransportError) {
        guard code == CURLE_OK else {
            throw .libcurlUnavailable(reason: "setting \(what) failed: \(Self.describe(code))")
        }
    }
}

/// The C callbacks; context arrives as the `Unmanaged` ``CurlTransferContext`` userdata.
enum CurlCallbacks {
    /// `CURLOPT_WRITEFUNCTION`: message bytes or untagged response lines.
    static let write: curl_write_callback = { pointer, size, count, userdata in
        let length = size * count
        guard let userdata else { return CCURL_WRITEFUNC_ERROR }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        guard length > 0, let pointer else { return 0 }
        let accepted = pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            context.receive(UnsafeBufferPointer(start: $0, count: length))
        }
        return accepted ? length : CCURL_WRITEFUNC_ERROR
    }

    /// `CURLOPT_HEADERFUNCTION`: one server response line per call.
    static let header: curl_write_callback = { pointer, size, count, userdata in
        let length = size * count
        guard let userdata else { return CCURL_WRITEFUNC_ERROR }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        guard length > 0, let pointer else { return 0 }
        pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            context.receiveHeader(UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }

    /// `CURLOPT_READFUNCTION`: the upload bytes.
    static let read: curl_read_callback = { pointer, size, count, userdata in
        guard let userdata, let pointer else { return CCURL_READFUNC_ABORT }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        let buffer = UnsafeMutableRawBufferPointer(start: pointer, count: size * count)
        return context.nextUploadChunk(into: buffer) ?? CCURL_READFUNC_ABORT
    }

    /// `CURLOPT_XFERINFOFUNCTION`: non-zero aborts the transfer when the task was cancelled.
    static let progress: curl_xferinfo_callback = { userdata, _, _, _, _ in
        guard let userdata else { return 0 }
        let context = Unmanaged<CurlTransferContext>.fromOpaque(userdata).takeUnretainedValue()
        return context.cancellation?.isCancelled == true ? 1 : 0
    }
}
