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
    /// Longest line, in octets without its CRLF or LF, that is not flagged.
    /// RFC 5322 §2.1.1 allows 998; longer lines are kept as they are and
    /// flagged once per header block (``MIMEDefect/longHeaderLine``) and once
    /// per leaf body (``MIMEDefect/longBodyLine``, found when the message's
    /// defects are collected).
    public var maxLineLength: Int
    /// Longest physical header line that is still read as part of the header
    /// block. A longer line ends the block: it and everything after it are the
    /// body (``MIMEDefect/headerLineTooLong``). Folded fields are not affected,
    /// only single lines; mail systems stop at far less (Postfix splits lines
    /// at 2,048 octets), so a line this long is not a header written by one.
    public var maxHeaderLineLength: Int

    /// Creates limits.
    public init(
        maxDepth: Int = 100, maxParts: Int = 10_000, maxHeaderBytes: Int = 1 << 20, maxLineLength: Int = 998,
        maxHeaderLineLength: Int = 1 << 16
    ) {
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaderBytes = maxHeaderBytes
        self.maxLineLength = maxLineLength
        self.maxHeaderLineLength = maxHeaderLineLength
    }

    /// Depth 100, 10,000 parts, 1 MiB header blocks, lines over 998 octets
    /// flagged, header lines over 64 KiB ending the header block.
    public static let `default` = MIMELimits()
}
