/// A parsed Content-Type: media type, subtype and parameters.
public struct ContentType: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The media type, lowercased (`text`, `multipart`, …).
    public var type: String
    /// The subtype, lowercased (`plain`, `mixed`, …).
    public var subtype: String
    /// Parameters by lowercased name; values decoded (quotes removed, RFC
    /// 2231 sections joined and charset-converted, stray RFC 2047 words decoded).
    public var parameters: [String: String]

    /// Creates a content type; `type` and `subtype` are lowercased.
    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        var lowered: [String: String] = [:]
        for (k, v) in parameters { lowered[k.lowercased()] = v }
        self.parameters = lowered
    }

    /// Stores the parts as given (the parser has lowercased them already).
    init(lowercasedType type: String, subtype: String, parameters: [String: String]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// Parses a Content-Type value such as `text/plain; charset="utf-8"`;
    /// `nil` when it has no `type/subtype`.
    public init?(parsing value: String) {
        var defects: [MIMEDefect] = []
        guard let parsed = ContentTypeParser.parseContentType(Array(value.utf8)[...], defects: &defects) else {
            return nil
        }
        self = parsed
    }

    /// `type/subtype`, lowercased.
    public var mimeType: String { type + "/" + subtype }

    /// The parameter named `name` (any case).
    public subscript(parameter name: String) -> String? {
        parameters[name.lowercased()]
    }

    /// The `charset` parameter.
    public var charset: String? { parameters["charset"] }

    /// Whether the type is `multipart`.
    public var isMultipart: Bool { type == "multipart" }

    /// `type/subtype; name="value"; …` (parameters sorted by name).
    public var description: String {
        var s = mimeType
        for key in parameters.keys.sorted() {
            s += "; \(key)=\"\(parameters[key] ?? "")\""
        }
        return s
    }

    /// `text/plain; charset=us-ascii`, the RFC 2045 default.
    public static let textPlainASCII = ContentType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])
    /// `message/rfc822`, the default inside multipart/digest.
    public static let messageRFC822 = ContentType(type: "message", subtype: "rfc822")
}
