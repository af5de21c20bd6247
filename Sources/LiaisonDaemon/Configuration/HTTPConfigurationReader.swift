import Foundation
import LiaisonCore
import Yams

/// Reads the `http:` section (`listen: 127.0.0.1:9465`, `allow_remote: false`), reporting
/// problems with file, line and key. Without the section the HTTP server is off.
struct HTTPConfigurationReader {
    let cursor: YAMLCursor

    func read(_ node: Node?) -> HTTPSettings? {
        let key = "http"
        guard let map = cursor.mapping(node, key: key) else { return nil }
        cursor.rejectUnknownKeys(map, known: ["listen", "allow_remote"], key: key)
        let allowRemote = cursor.bool(map, "allow_remote", parent: key) ?? false
        guard let listen = cursor.string(map, "listen", parent: key, required: true) else { return nil }
        guard let (host, port) = Self.split(listen) else {
            cursor.problem(
                "expected HOST:PORT with a port from 1 to 65535 (127.0.0.1:9465, [::1]:9465)", at: map["listen"],
                key: "\(key).listen")
            return nil
        }
        if !Self.isLoopback(host) && !allowRemote {
            cursor.problem(
                "\(host) is not a loopback address: the dashboard and metrics have no authentication; "
                    + "listen on 127.0.0.1 behind a proxy, or set allow_remote: true on purpose",
                at: map["listen"], key: "\(key).listen")
            return nil
        }
        return HTTPSettings(host: host, port: port, allowRemote: allowRemote)
    }

    /// `host:port` or `[v6]:port`; nil when malformed.
    static func split(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace }), let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        return (String(host), port)
    }

    /// `localhost`, `127.0.0.0/8` and `::1`.
    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
