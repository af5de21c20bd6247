/// Bounds that keep parsing of hostile input finite and cheap.
///
/// Past a limit the parser stops descending (the rest stays available as raw
/// bytes), records a ``MIMEDefect`` and carries on; it never fails.
public struct MIMELimits: Sendable, Equatable {
    /// Deepest nesting of multiparts and embedded messages that is parsed
    /// (the top-level message is depth 0). Deeper structures are left as leaves.
    public var maxDepth: Int
    /// Most body parts (multipart children and embedded messages, all levels
    /// together) that are parsed; further parts are not split out.
    public var maxParts: Int
    /// Largest header block, in bytes, whose fields are recorded; fields past
    /// it are dropped (the body is still found).
    public var maxHeaderBytes: Int

    /// Creates limits.
    public init(maxDepth: Int = 100, maxParts: Int = 10_000, maxHeaderBytes: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Depth 100, 10,000 parts, 1 MiB header blocks. Line length is not limited.
    public static let `default` = MIMELimits()
}
