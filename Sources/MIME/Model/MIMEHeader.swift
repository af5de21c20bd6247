/// An ordered header block. Lookups ignore the case of field names.
public struct MIMEHeader: Sendable {
    let storage: MessageStorage?
    let buffer: Int
    let range: Range<Int>

    init(storage: MessageStorage, buffer: Int, range: Range<Int>) {
        self.storage = storage
        self.buffer = buffer
        self.range = range
    }

    /// An empty header block.
    public init() {
        storage = nil
        buffer = 0
        range = 0..<0
    }

    /// The fields in input order.
    public var fields: [MIMEHeaderField] {
        guard let storage else { return [] }
        return range.map { MIMEHeaderField(storage: storage, buffer: buffer, index: $0) }
    }

    /// The number of fields.
    public var count: Int { range.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { range.isEmpty }

    func rawValues(_ name: String) -> [ArraySlice<UInt8>] {
        guard let storage else { return [] }
        let bytes = storage.buffers[buffer]
        var result: [ArraySlice<UInt8>] = []
        for i in range {
            let s = storage.fields[i]
            if HeaderText.equalsIgnoringCase(bytes[s.nameStart..<s.nameEnd], name) {
                result.append(bytes[s.valueStart..<s.valueEnd])
            }
        }
        return result
    }

    /// Calls `body` with the raw value of every field named `name`, in order.
    @inline(__always)
    func forEachRawValue(_ name: String, _ body: (ArraySlice<UInt8>) -> Void) {
        guard let storage else { return }
        let bytes = storage.buffers[buffer]
        for i in range {
            let s = storage.fields[i]
            if HeaderText.equalsIgnoringCase(bytes[s.nameStart..<s.nameEnd], name) {
                body(bytes[s.valueStart..<s.valueEnd])
            }
        }
    }

    func firstRawValue(_ name: String) -> ArraySlice<UInt8>? {
        guard let storage else { return nil }
        let bytes = storage.buffers[buffer]
        for i in range {
            let s = storage.fields[i]
            if HeaderText.equalsIgnoringCase(bytes[s.nameStart..<s.nameEnd], name) {
                return bytes[s.valueStart..<s.valueEnd]
            }
        }
        return nil
    }

    /// The first field named `name`: its value unfolded and trimmed (encoded
    /// words left as written); `nil` when absent.
    public subscript(name: String) -> String? {
        guard let raw = firstRawValue(name) else { return nil }
        if let plain = HeaderText.plainASCII(raw, encodedWords: false) { return plain }
        var defects: [MIMEDefect] = []
        return HeaderText.string(HeaderText.unfold(raw), field: name, defects: &defects)
    }

    /// Every field named `name`, unfolded and trimmed, in input order.
    public func values(_ name: String) -> [String] {
        var defects: [MIMEDefect] = []
        return rawValues(name).map { HeaderText.string(HeaderText.unfold($0), field: name, defects: &defects) }
    }

    /// The first field named `name`, unfolded, trimmed and RFC 2047 decoded.
    public func decoded(_ name: String) -> String? {
        guard let raw = firstRawValue(name) else { return nil }
        var defects: [MIMEDefect] = []
        return HeaderText.decoded(raw, field: name, defects: &defects)
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        firstRawValue(name) != nil
    }
}
