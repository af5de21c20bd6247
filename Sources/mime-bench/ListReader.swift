#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the list file one path at a time through a fixed 16 KiB buffer,
/// once per pass. The list is untimed driver input; holding it whole (plus
/// an offset per line) cost ~0.5 MB of peak RSS on the 12,873-file small
/// mix, more than parsing the largest of its messages.
struct ListReader {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 16_384)
    private var start = 0
    private var end = 0
    private var atEOF = false
    /// The current path, NUL-terminated (paths up to PATH_MAX).
    private(set) var path = [CChar](repeating: 0, count: 4_097)

    /// Opens `listPath`; nil when it cannot be opened.
    init?(listPath: String) {
        let fd = open(listPath, O_RDONLY)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    /// Closes the list file.
    func close() { closeDescriptor(fd) }

    /// Moves to the next non-empty line; false at the end of the list. A
    /// line longer than PATH_MAX is cut (and will then fail to open).
    mutating func next() -> Bool {
        var length = 0
        var sawByte = false
        while true {
            if start == end {
                if atEOF { break }
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    atEOF = true
                    break
                }
                start = 0
                end = n
            }
            let byte = buffer[start]
            start += 1
            if byte == 10 || byte == 0 {
                if length > 0 { break }
                continue
            }
            sawByte = true
            if length < path.count - 1 {
                path[length] = CChar(bitPattern: byte)
                length += 1
            }
        }
        path[length] = 0
        return sawByte && length > 0
    }

    /// The current path as a `String` (for messages only).
    var pathString: String {
        path.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { String(cString: $0) } ?? ""
        }
    }
}

private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
