import Foundation

/// Where the HTTP server listens (`http:` in `liaison.yaml`).
public struct HTTPSettings: Sendable, Equatable {
    /// The address to bind, normally a loopback address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Whether a non-loopback address was allowed on purpose (`allow_remote: true`).
    public var allowRemote: Bool

    /// Creates settings.
    public init(host: String, port: Int, allowRemote: Bool = false) {
        self.host = host
        self.port = port
        self.allowRemote = allowRemote
    }
}
