/// A problem found in a message. Defects never stop parsing: each one says
/// what was wrong and what the parser did instead.
public enum MIMEDefect: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The input has no header block: its first line is not a header field.
    case missingHeaderBlock
    /// A header block ended at a line that is neither a field nor blank; the
    /// body starts at that line.
    case missingHeaderBodySeparator
    /// A line in a header block that is neither a field nor a continuation was skipped.
    case malformedHeaderLine(String)
    /// A header block begins with a continuation line (leading whitespace).
    case continuationWithoutField
    /// The header block is larger than ``MIMELimits/maxHeaderBytes``; later fields were dropped.
    case headerBlockTooLarge
    /// A header line is longer than ``MIMELimits/maxLineLength`` (998 octets
    /// by default, RFC 5322 §2.1.1); it was read as usual. Once per header block.
    case longHeaderLine
    /// A header line is longer than ``MIMELimits/maxHeaderLineLength``: the
    /// header block ended before it, and it starts the body.
    case headerLineTooLong
    /// A body line is longer than ``MIMELimits/maxLineLength``; kept as it is.
    /// Once per leaf part.
    case longBodyLine
    /// A header value has 8-bit bytes that are not UTF-8; read as ISO-8859-1.
    case nonUTF8Header(field: String)
    /// A multipart has no `boundary` parameter; it is kept as a leaf.
    case missingBoundaryParameter
    /// A multipart body has no delimiter line for its boundary; no parts were split out.
    case boundaryNotFound(boundary: String)
    /// A multipart's closing delimiter (`--boundary--`) is missing; the last part runs to the end.
    case missingClosingBoundary(boundary: String)
    /// Nesting deeper than ``MIMELimits/maxDepth``; the part was left unparsed.
    case depthLimitReached
    /// More parts than ``MIMELimits/maxParts``; the rest were not split out.
    case partLimitReached
    /// A Content-Type value could not be parsed; text/plain was assumed.
    case invalidContentType(String)
    /// A Content-Transfer-Encoding this parser does not know; the body is kept raw.
    case unknownTransferEncoding(String)
    /// A composite part (multipart, message) with a base64 or quoted-printable
    /// encoding, which RFC 2046 forbids; it was decoded before parsing.
    case encodedCompositePart(String)
    /// Base64 with characters outside the alphabet, bad padding or a dangling sextet.
    case invalidBase64
    /// Quoted-printable with a malformed `=` escape (kept literally).
    case invalidQuotedPrintable
    /// An `x-uuencode` body without a `begin` line (kept raw) or whose block
    /// breaks off before its `end` line (the lines before are decoded).
    case invalidUUEncode
    /// A charset label that cannot be converted; text was read as UTF-8 or ISO-8859-1.
    case unknownCharset(String)
    /// Bytes that are not valid in their declared charset; read as UTF-8 or ISO-8859-1.
    case invalidCharsetData(String)
    /// An RFC 2047 encoded word that could not be decoded; kept as written.
    case malformedEncodedWord(String)
    /// A piece of an address list that is not an address; skipped.
    case unparseableAddress(String)
    /// A Date field that could not be parsed.
    case invalidDate(String)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case .missingHeaderBlock: return "no header block: the input starts with body text"
        case .missingHeaderBodySeparator: return "header block not ended by a blank line"
        case .malformedHeaderLine(let line): return "malformed header line skipped: \(line)"
        case .continuationWithoutField: return "header block starts with a continuation line"
        case .headerBlockTooLarge: return "header block exceeds the size limit; later fields dropped"
        case .longHeaderLine: return "header line longer than the line length limit"
        case .headerLineTooLong: return "header line over the hard length limit; the body starts there"
        case .longBodyLine: return "body line longer than the line length limit"
        case .nonUTF8Header(let field): return "8-bit header \(field) is not UTF-8; read as ISO-8859-1"
        case .missingBoundaryParameter: return "multipart without a boundary parameter"
        case .boundaryNotFound(let b): return "multipart boundary \"\(b)\" never occurs"
        case .missingClosingBoundary(let b): return "multipart boundary \"\(b)\" is never closed"
        case .depthLimitReached: return "nesting depth limit reached; deeper parts not parsed"
        case .partLimitReached: return "part count limit reached; further parts not parsed"
        case .invalidContentType(let v): return "invalid Content-Type \"\(v)\"; text/plain assumed"
        case .unknownTransferEncoding(let v): return "unknown Content-Transfer-Encoding \"\(v)\"; body kept raw"
        case .encodedCompositePart(let v): return "composite part with Content-Transfer-Encoding \(v)"
        case .invalidBase64: return "invalid base64 (junk characters or bad padding)"
        case .invalidQuotedPrintable: return "invalid quoted-printable escape kept literally"
        case .invalidUUEncode: return "uuencoded body without a complete begin/end block"
        case .unknownCharset(let c): return "unknown charset \"\(c)\""
        case .invalidCharsetData(let c): return "text is not valid \(c)"
        case .malformedEncodedWord(let w): return "malformed encoded word kept as written: \(w)"
        case .unparseableAddress(let a): return "unparseable address skipped: \(a)"
        case .invalidDate(let d): return "unparseable date: \(d)"
        }
    }
}
