/// Checks a ZIP archive's directory before ZIPFoundation reads it.
///
/// ZIPFoundation's in-memory archive traps when an offset points past the end of the data (a
/// corrupted or hostile archive). Every offset and size it will use is checked here first: the end
/// record, the central directory, each entry's local header and its compressed data must lie
/// inside the bytes. ZIP64 archives are not read (statements are never that large).
///
/// The layout found also lets deflated entries be inflated from exactly their own bytes: on Linux,
/// ZIPFoundation's inflate loop reads on past a corrupted stream's end forever.
enum ZipStructure {
    /// Where an entry's compressed data is, in central-directory order.
    struct EntryLayout {
        var dataStart: Int
        var compressedSize: Int
        var method: UInt16
    }

    /// The entries' layout when the archive's structure is sound, else what is wrong.
    static func inspect(_ bytes: [UInt8]) -> Result<[EntryLayout], ZipStructureProblem> {
        var layout: [EntryLayout] = []
        if let problem = walk(bytes, into: &layout) { return .failure(ZipStructureProblem(description: problem)) }
        return .success(layout)
    }

    private static func walk(_ bytes: [UInt8], into layout: inout [EntryLayout]) -> String? {
        let count = bytes.count
        guard count >= 22 else { return "too short for a ZIP archive" }
        // The end-of-central-directory record: within the last 22 + 65535 bytes.
        var endRecord: Int?
        var position = count - 22
        let lowest = max(0, count - 22 - 65_535)
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06 {
                endRecord = position
                break
            }
            position -= 1
        }
        guard let end = endRecord else { return "no end of central directory" }
        let entries = Int(u16(bytes, end + 10))
        let directorySize = Int(u32(bytes, end + 12))
        let directoryOffset = Int(u32(bytes, end + 16))
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            return "ZIP64 archives are not read"
        }
        guard directoryOffset + directorySize <= end else { return "the central directory lies outside the archive" }
        var header = directoryOffset
        for _ in 0..<entries {
            guard header + 46 <= directoryOffset + directorySize, u32(bytes, header) == 0x0201_4B50 else {
                return "damaged central directory"
            }
            let compressed = Int(u32(bytes, header + 20))
            let uncompressed = Int(u32(bytes, header + 24))
            let nameLength = Int(u16(bytes, header + 28))
            let extraLength = Int(u16(bytes, header + 30))
            let commentLength = Int(u16(bytes, header + 32))
            let local = Int(u32(bytes, header + 42))
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                return "ZIP64 archives are not read"
            }
            guard local + 30 <= count, u32(bytes, local) == 0x0403_4B50 else { return "an entry's local header is missing" }
            let dataStart = local + 30 + Int(u16(bytes, local + 26)) + Int(u16(bytes, local + 28))
            guard dataStart + compressed <= count else { return "an entry's data runs past the end" }
            // The local header's method is the one a reader follows; both must agree.
            let method = u16(bytes, header + 10)
            guard u16(bytes, local + 8) == method else { return "an entry's headers disagree on its compression" }
            layout.append(EntryLayout(dataStart: dataStart, compressedSize: compressed, method: method))
            header += 46 + nameLength + extraLength + commentLength
        }
        return nil
    }

    fileprivate static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

/// What is wrong with an archive's structure.
struct ZipStructureProblem: Error, CustomStringConvertible {
    var description: String
}
