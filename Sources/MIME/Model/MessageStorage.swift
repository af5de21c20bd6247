/// Byte ranges of one header field inside its part's buffer.
struct FieldSpan: Sendable {
    var nameStart: Int
    var nameEnd: Int
    var valueStart: Int
    var valueEnd: Int
}

/// One body part (or message root) as ranges into a buffer. Nodes live in one
/// flat array so a parse allocates a handful of arrays instead of a tree of
/// objects, and no code walks it recursively.
struct PartNode: Sendable {
    /// Index into ``MessageStorage/buffers``.
    var buffer: Int
    /// First byte of the part (its header block).
    var start: Int
    /// First byte of the body.
    var bodyStart: Int
    /// One past the last byte of the part.
    var end: Int
    var depth: Int
    /// Whether this node is the root of a message (top level or embedded).
    var isMessage: Bool
    /// Whether the parent is a multipart/digest (changes the default type).
    var inDigest: Bool
    var fields: Range<Int> = 0..<0
    var children: Range<Int> = 0..<0
    /// Node index of the embedded message's root, or -1.
    var embedded: Int = -1
    /// End of the preamble / start of the epilogue for multiparts.
    var preambleEnd: Int = 0
    var epilogueStart: Int = 0
    /// The Content-Transfer-Encoding, classified while indexing.
    var transfer: TransferEncoding.Kind = .sevenBit
    /// Indexes into ``MessageStorage/fields`` of the first
    /// Content-Transfer-Encoding and Content-Disposition fields, or -1.
    var transferField: Int = -1
    var dispositionField: Int = -1
}

/// A node seen from a part: the node's stored fields (plain data, read in
/// place) plus its content type, kept in a parallel array.
@dynamicMemberLookup
struct NodeView {
    let storage: MessageStorage
    let index: Int

    @inline(__always)
    subscript<T>(dynamicMember keyPath: KeyPath<PartNode, T>) -> T { storage.nodes[index][keyPath: keyPath] }

    var contentType: ContentType { storage.contentTypes[index] }
}

/// A defect together with the node it was found in.
struct LocatedDefect: Sendable {
    var node: Int
    var defect: MIMEDefect
}

/// The immutable result of one parse, shared by every value that views it.
final class MessageStorage: Sendable {
    /// `buffers[0]` is the input; later buffers hold transfer-decoded
    /// embedded messages.
    let buffers: [[UInt8]]
    let nodes: [PartNode]
    /// The content type of each node (parallel to `nodes`).
    let contentTypes: [ContentType]
    let fields: [FieldSpan]
    let defects: [LocatedDefect]
    /// ``MIMELimits/maxLineLength`` of the parse: body lines are checked
    /// against it only when defects are collected (see ``DefectCollector``).
    let maxLineLength: Int

    init(
        buffers: [[UInt8]], nodes: [PartNode], contentTypes: [ContentType], fields: [FieldSpan],
        defects: [LocatedDefect], maxLineLength: Int
    ) {
        self.maxLineLength = maxLineLength
        self.buffers = buffers
        self.nodes = nodes
        self.contentTypes = contentTypes
        self.fields = fields
        self.defects = defects
    }

    /// Node indexes of the subtree under `root`, in document order
    /// (embedded messages included), iteratively.
    func subtree(of root: Int) -> [Int] {
        var result: [Int] = []
        var stack = [root]
        while let i = stack.popLast() {
            result.append(i)
            let node = nodes[i]
            if node.embedded >= 0 { stack.append(node.embedded) }
            for child in node.children.reversed() { stack.append(child) }
        }
        return result
    }
}
