import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A one-connection plain IMAP server on 127.0.0.1 with the capabilities it is given.
///
/// Used for what the real Dovecot cannot show: a server without IDLE. It accepts any LOGIN,
/// answers CAPABILITY, EXAMINE/SELECT (`* 0 EXISTS`), NOOP and LOGOUT, and refuses everything
/// else with BAD (so an IDLE sent anyway is refused). Loopback only; it serves one client.
final class FakeIMAPServer: Sendable {
    /// The port it listens on.
    let port: Int
    private let listener: Int32
    private let capabilities: String
    private let received = Mutex<[String]>([])

    /// Opens the listening socket (the client may connect as soon as this returns).
    init(capabilities: String = "IMAP4rev1") throws {
        self.capabilities = capabilities
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(listener) }

    /// The command verbs received, in order (arguments dropped, so no password is kept).
    var verbs: [String] { received.withLock { $0 } }

    /// Serves one client on a background thread.
    func serveOne() {
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    private func serve() {
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        defer { close(client) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []

        func reply(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        reply("* OK fake IMAP ready\r\n")
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return }
            buffer += chunk[0..<count]
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                buffer.removeFirst(newline + 1)
                let words = line.split(separator: " ")
                guard words.count >= 2 else { continue }
                let tag = words[0]
                let verb = words[1].uppercased()
                received.withLock { $0.append(verb) }
                switch verb {
                case "CAPABILITY": reply("* CAPABILITY \(capabilities)\r\n\(tag) OK done\r\n")
                case "LOGIN": reply("\(tag) OK logged in\r\n")
                case "EXAMINE", "SELECT": reply("* 0 EXISTS\r\n* 0 RECENT\r\n\(tag) OK [READ-ONLY] done\r\n")
                case "NOOP": reply("\(tag) OK done\r\n")
                case "LOGOUT":
                    reply("* BYE bye\r\n\(tag) OK done\r\n")
                    return
                default: reply("\(tag) BAD unknown command\r\n")
                }
            }
        }
    }
}
