import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A one-connection SMTP server on 127.0.0.1 that offers no AUTH and records what it receives.
///
/// Used for what the real stack cannot show: a server without AUTH while credentials are
/// configured. Loopback only; it serves one client and stops.
final class FakeSMTPServer: Sendable {
    /// The port it listens on.
    let port: Int
    private let listener: Int32
    private let received = Mutex<[String]>([])
    private let dataBytes = Mutex<Int>(0)

    /// Opens the listening socket (the client may connect as soon as this returns).
    init() throws {
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

    /// The commands received, in order (message content excluded).
    var commands: [String] { received.withLock { $0 } }

    /// How many bytes of message content arrived after `354`.
    var messageBytes: Int { dataBytes.withLock { $0 } }

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
        var inData = false

        func reply(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        reply("220 fake.example.test ESMTP test\r\n")
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return }
            buffer += chunk[0..<count]
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                let consumed = newline + 1
                buffer.removeFirst(consumed)
                if inData {
                    if line == "." {
                        inData = false
                        reply("250 2.0.0 queued\r\n")
                    } else {
                        dataBytes.withLock { $0 += consumed }
                    }
                    continue
                }
                received.withLock { $0.append(line) }
                let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
                switch verb {
                case "EHLO": reply("250-fake.example.test\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n")
                case "HELO", "MAIL", "RCPT", "RSET", "NOOP": reply("250 2.0.0 Ok\r\n")
                case "DATA":
                    inData = true
                    reply("354 go ahead\r\n")
                case "QUIT":
                    reply("221 2.0.0 Bye\r\n")
                    return
                default: reply("502 5.5.2 not implemented\r\n")
                }
            }
        }
    }

    /// A loopback port nothing listens on (bound, then released).
    static func closedPort() throws -> Int {
        let server = try FakeSMTPServer()
        return server.port
    }
}
