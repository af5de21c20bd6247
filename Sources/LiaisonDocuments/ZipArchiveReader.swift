import Foundation
import ZIPFoundation

/// A limit hit or damage found while reading an archive.
struct ZipProblem: Error, CustomStringConvertible {
    var description: String
    /// Whether the rest of the archive must not be read either (the total budget is spent).
    var stopsArchive = false
}

/// An in-memory ZIP archive read with the zip-bomb limits: the only user of ZIPFoundation.
struct ZipArchiveReader {
    struct Entry {
        var path: String
        var isDirectory: Bool
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var raw: ZIPFoundation.Entry
        var layout: ZipStructure.EntryLayout
    }

    private let archive: Archive
    private let bytes: [UInt8]
    let name: String
    let limits: DocumentTextReader.Limits
    private(set) var entries: [Entry] = []
    /// A problem with the archive as a whole (too many entries).
    private(set) var problem: ZipProblem?

    private init(archive: Archive, bytes: [UInt8], name: String, limits: DocumentTextReader.Limits) {
        self.archive = archive
        self.bytes = bytes
        self.name = name
        self.limits = limits
    }

    /// Opens an archive and lists its entries, at most `limits.entries` of them.
    static func open(_ bytes: [UInt8], name: String, limits: DocumentTextReader.Limits) -> Result<ZipArchiveReader, ZipProblem> {
        guard bytes.starts(with: [0x50, 0x4B]) else {
            return .failure(ZipProblem(description: "\(name): not a ZIP archive"))
        }
        let layout: [ZipStructure.EntryLayout]
        switch ZipStructure.inspect(bytes) {
        case .success(let found): layout = found
        case .failure(let problem):
            return .failure(ZipProblem(description: "\(name): damaged or truncated ZIP archive: \(problem)"))
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            return .failure(ZipProblem(description: "\(name): damaged or truncated ZIP archive (no readable central directory)"))
        }
        var reader = ZipArchiveReader(archive: archive, bytes: bytes, name: name, limits: limits)
        for (index, entry) in archive.enumerated() {
            guard index < layout.count else {
                return .failure(ZipProblem(description: "\(name): damaged ZIP archive (its directory and entries disagree)"))
            }
            if reader.entries.count == limits.entries {
                reader.problem = ZipProblem(description: "\(name): more than \(limits.entries) entries; the rest are not read")
                break
            }
            reader.entries.append(
                Entry(
                    path: entry.path, isDirectory: entry.type == .directory, compressedSize: entry.compressedSize,
                    uncompressedSize: entry.uncompressedSize, raw: entry, layout: layout[index]))
        }
        if reader.entries.isEmpty, reader.problem == nil {
            return .failure(ZipProblem(description: "\(name): damaged, truncated or empty ZIP archive"))
        }
        return .success(reader)
    }

    /// The entry whose path is `path`, compared without case.
    func entry(named path: String) -> Entry? {
        entries.first { $0.path.lowercased() == path.lowercased() }
    }

    private enum Stop: Error {
        case entrySize, totalSize, ratio, truncated, checksum
    }

    /// The uncompressed bytes of an entry, checked against the limits while they are produced
    /// (declared sizes can lie).
    func contents(of entry: Entry, budget: inout Budget) -> Result<[UInt8], ZipProblem> {
        let label = "\(name): \(entry.path)"
        let compressed = max(entry.compressedSize, 1)
        if entry.uncompressedSize > UInt64(limits.entryUncompressedBytes) {
            return .failure(ZipProblem(description: "\(label) expands to \(entry.uncompressedSize) bytes, more than the \(limits.entryUncompressedBytes)-byte limit per entry"))
        }
        if entry.uncompressedSize > UInt64(budget.remaining) {
            return .failure(ZipProblem(description: "\(label): the archive expands to more than \(limits.totalUncompressedBytes) bytes in all; reading stopped", stopsArchive: true))
        }
        if entry.uncompressedSize > 65_536, entry.uncompressedSize / compressed > UInt64(limits.compressionRatio) {
            return .failure(ZipProblem(description: "\(label) has a compression ratio of \(entry.uncompressedSize / compressed):1, above the \(limits.compressionRatio):1 limit (zip bomb?)"))
        }
        var output: [UInt8] = []
        var produced = 0
        let remaining = budget.remaining
        let entryLimit = limits.entryUncompressedBytes
        let ratioLimit = limits.compressionRatio
        do {
            let consume: Consumer = { data in
                produced += data.count
                if produced > entryLimit { throw Stop.entrySize }
                if produced > remaining { throw Stop.totalSize }
                if produced > 65_536, UInt64(produced) / compressed > UInt64(ratioLimit) { throw Stop.ratio }
                output.append(contentsOf: data)
            }
            if entry.layout.method == 8 {
                // Inflate exactly the entry's own bytes; running out of them is an error, not a wait.
                let start = entry.layout.dataStart
                let end = start + entry.layout.compressedSize
                var next = start
                let bytes = self.bytes
                let checksum = try Data.decompress(
                    size: Int64(entry.layout.compressedSize), bufferSize: 16_384, skipCRC32: false,
                    provider: { _, size in
                        guard next < end else { throw Stop.truncated }
                        var chunk = Data(bytes[next..<min(end, next + size)])
                        next += chunk.count
                        // ZIPFoundation's inflate loop sets avail_in to the requested size, not to
                        // the chunk's: a short last chunk made zlib read past it (scripts/fuzz,
                        // ASan heap-buffer-overflow). Padding to the size keeps zlib inside the
                        // buffer; data after the end of the stream is ignored, and a truncated
                        // stream fails on the zeros or on the next (throwing) call.
                        if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                        return chunk
                    }, consumer: consume)
                if checksum != entry.raw.checksum { throw Stop.checksum }
            } else if entry.layout.method == 0 {
                _ = try archive.extract(entry.raw, skipCRC32: false, consumer: consume)
            } else {
                return .failure(ZipProblem(description: "\(label) uses compression method \(entry.layout.method), which is not read"))
            }
        } catch Stop.entrySize {
            budget.remaining -= min(produced, remaining)
            return .failure(ZipProblem(description: "\(label) expands to more than the \(entryLimit)-byte limit per entry"))
        } catch Stop.totalSize {
            budget.remaining = 0
            return .failure(ZipProblem(description: "\(label): the archive expands to more than \(limits.totalUncompressedBytes) bytes in all; reading stopped", stopsArchive: true))
        } catch Stop.ratio {
            budget.remaining -= min(produced, remaining)
            return .failure(ZipProblem(description: "\(label) expands more than \(ratioLimit) times its compressed size (zip bomb?)"))
        } catch Stop.checksum {
            return .failure(ZipProblem(description: "\(label) is damaged (checksum mismatch)"))
        } catch Stop.truncated {
            return .failure(ZipProblem(description: "\(label) is damaged or truncated (its compressed data ends early)"))
        } catch {
            return .failure(ZipProblem(description: "\(label) is damaged or truncated (\(error))"))
        }
        budget.remaining -= produced
        return .success(output)
    }
}
