import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of one upstream server, which cuts a connection at an exact
/// byte of the server's answer to a chosen command (docs/reliability.md, "IMAP connection cut
/// mid-fetch").
///
/// Every connection gets a thread that copies both ways with `poll(2)`. While a ``Cut`` is set,
/// the client's bytes are watched for its trigger (e.g. `UID FETCH 2 BODY[]`); from then on the
/// server's bytes are the response, and the connection is closed once exactly
/// ``Cut/offset(in:)`` of them have been passed on. Bytes whose place relative to the cut is not
/// known yet (the literal's size is in its header line) are held back, never guessed.
final class TCPProxy: @unchecked Sendable {
    /// Where to cut the answer to the command whose bytes are `trigger`.
    struct Cut: Sendable, CustomStringConvertible {
        /// A place in an IMAP response that carries one literal (`… {size}\r\n<size bytes>…`).
        enum Point: Sendable, Equatable, CustomStringConvertible {
            /// `n` bytes from the literal's first byte (negative: inside or before its header
            /// line; clamped to the start of the response).
            case literal(Int)
            /// `n` bytes from the end of the tagged reply that closes the response (negative).
            case end(Int)

            var description: String {
                switch self {
                case .literal(let n): "literal\(n >= 0 ? "+" : "")\(n)"
                case .end(let n): "end\(n >= 0 ? "+" : "")\(n)"
                }
            }
        }

        var trigger: [UInt8]
        var point: Point
        /// Close with a TCP reset (SO_LINGER 0) instead of a FIN.
        var reset = false

        var description: String { "\(point)\(reset ? " (RST)" : "")" }

        /// The number of response bytes to pass on before cutting, once `response` shows it.
        func offset(in response: [UInt8]) -> Int? {
            guard let literal = Self.literal(in: response) else { return nil }
            switch point {
            case .literal(let n):
                return max(0, literal.start + n)
            case .end(let n):
                guard let end = Self.taggedEnd(in: response, after: literal.start + literal.size) else { return nil }
                return max(0, end + n)
            }
        }

        /// The first literal of `response`: where its bytes start and how many there are.
        static func literal(in response: [UInt8]) -> (start: Int, size: Int)? {
            var lineStart = 0
            while let lf = firstLF(in: response, from: lineStart) {
                // A line ending in `{digits}\r\n` announces a literal.
                if lf >= 2, response[lf - 1] == UInt8(ascii: "\r"), response[lf - 2] == UInt8(ascii: "}"),
                    let open = response[lineStart..<(lf - 2)].lastIndex(of: UInt8(ascii: "{")),
                    let size = Int(String(decoding: response[(open + 1)..<(lf - 2)], as: UTF8.self))
                {
                    return (lf + 1, size)
                }
                lineStart = lf + 1
            }
            return nil
        }

        /// The offset just past the tagged reply (the first line not starting with `* `) after
        /// the line that holds the literal's end.
        static func taggedEnd(in response: [UInt8], after literalEnd: Int) -> Int? {
            guard literalEnd <= response.count, var lineEnd = firstLF(in: response, from: literalEnd) else { return nil }
            while true {
                let lineStart = lineEnd + 1
                guard let lf = firstLF(in: response, from: lineStart) else { return nil }
                if !(response.count >= lineStart + 2 && response[lineStart] == UInt8(ascii: "*")
                    && response[lineStart + 1] == UInt8(ascii: " "))
                {
                    return lf + 1
                }
                lineEnd = lf
            }
        }

        private static func firstLF(in bytes: [UInt8], from start: Int) -> Int? {
            guard start < bytes.count else { return nil }
            return bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
        }
    }

    /// One cut made: where, how many response bytes got through, the literal's size.
    struct CutMade: Sendable {
        var cut: Cut
        var forwarded: Int
        var literalStart: Int
        var literalSize: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The port the proxy listens on (127.0.0.1).
    let port: Int
    private let upstreamHost: String
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private let threads = DispatchGroup()
    private var stopping = false
    private var currentCut: Cut?
    private var cutsMade: [CutMade] = []
    private var connectionCount = 0

    /// Listens on a free port of 127.0.0.1 and passes everything to `host:port` until ``stop()``.
    init(upstreamHost: String, upstreamPort: Int) throws {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound, listen(fd, 16) == 0 else {
            close(fd)
            throw Failure(description: "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        threads.enter()
        Thread { [self] in
            acceptLoop()
            threads.leave()
        }.start()
    }

    deinit { stop() }

    /// Sets (or with `nil` clears) the cut applied to every connection from now on.
    func setCut(_ cut: Cut?) {
        lock.withLock { currentCut = cut }
    }

    /// The cuts made so far, in order.
    var cuts: [CutMade] { lock.withLock { cutsMade } }

    /// Connections accepted so far.
    var connections: Int { lock.withLock { connectionCount } }

    /// Stops accepting, closes every connection and waits (bounded) for the threads to end.
    func stop() {
        let first = lock.withLock {
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        _ = threads.wait(timeout: .now() + 5)
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopping {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            lock.withLock { connectionCount += 1 }
            threads.enter()
            Thread { [self] in
                relay(client)
                threads.leave()
            }.start()
        }
    }

    /// Copies between `client` and a new upstream connection until either side closes, the
    /// proxy stops, or the cut is reached.
    private func relay(_ client: Int32) {
        defer { close(client) }
        guard let server = connectUpstream() else { return }
        defer { close(server) }
        var clientTail: [UInt8] = []
        // The cut in force when the trigger went by (the current one is read per client read).
        var active: Cut?
        var response: [UInt8] = []
        var passed = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !isStopping {
            var descriptors = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 2, 100) >= 0 else { return }
            if descriptors[0].revents != 0 {
                let count = recv(client, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                let bytes = Array(buffer[0..<count])
                if active == nil, let cut = lock.withLock({ currentCut }) {
                    clientTail += bytes
                    if Self.contains(clientTail, cut.trigger) { active = cut }
                    clientTail = Array(clientTail.suffix(max(cut.trigger.count - 1, 0)))
                }
                guard Self.sendAll(server, bytes) else { return }
            }
            if descriptors[1].revents != 0 {
                let count = recv(server, &buffer, buffer.count, 0)
                guard count > 0 else { return }
                let bytes = Array(buffer[0..<count])
                guard let cut = active else {
                    guard Self.sendAll(client, bytes) else { return }
                    continue
                }
                response += bytes
                // Hold the bytes back until the cut's place in them is known.
                guard let offset = cut.offset(in: response) else { continue }
                let upTo = min(offset, response.count)
                if upTo > passed {
                    guard Self.sendAll(client, Array(response[passed..<upTo])) else { return }
                    passed = upTo
                }
                if response.count >= offset {
                    let literal = Cut.literal(in: response)
                    lock.withLock {
                        cutsMade.append(
                            CutMade(cut: cut, forwarded: passed, literalStart: literal?.start ?? -1, literalSize: literal?.size ?? -1))
                    }
                    if cut.reset {
                        var option = linger(l_onoff: 1, l_linger: 0)
                        _ = setsockopt(client, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
                    } else {
                        _ = shutdown(client, Int32(SHUT_RDWR))
                    }
                    return
                }
            }
        }
    }

    private func connectUpstream() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = Self.loopback(port: upstreamPort, host: upstreamHost)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func loopback(port: Int, host: String = "127.0.0.1") -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
