import Foundation
import LiaisonCore

/// Reads the text of statement attachments: `.docx`, `.zip` archives holding `.docx` (as 3GPP
/// sends them), `.txt`, `.html` and, when poppler's `pdftotext` is installed, `.pdf`. Word 97-2003
/// `.doc` files are reported as unread.
///
/// Archives are read in memory with limits against zip bombs: total and per-entry uncompressed
/// size, compression ratio, number of entries and nesting (a zip inside the attachment's zip, one
/// level). A limit hit, a damaged archive or a failing converter is a problem in the result,
/// never a trap.
public struct DocumentTextReader: AttachmentTextReader {
    /// The limits applied to archives and converted text.
    public struct Limits: Sendable, Equatable {
        /// The most bytes all entries of an attachment may expand to, nested archives included.
        public var totalUncompressedBytes: Int
        /// The most bytes one entry may expand to.
        public var entryUncompressedBytes: Int
        /// The highest uncompressed/compressed ratio of an entry (zip bombs reach 1000).
        public var compressionRatio: Int
        /// The most entries an archive may hold.
        public var entries: Int
        /// How many archives deep an archive may sit inside the attachment (1: a zip in the zip).
        public var nesting: Int
        /// The most characters of text kept from one attachment.
        public var textCharacters: Int

        /// Creates limits; the defaults suit statements (a few MB of Word documents).
        public init(
            totalUncompressedBytes: Int = 64 << 20,
            entryUncompressedBytes: Int = 32 << 20,
            compressionRatio: Int = 200,
            entries: Int = 500,
            nesting: Int = 1,
            textCharacters: Int = 2 << 20
        ) {
            self.totalUncompressedBytes = totalUncompressedBytes
            self.entryUncompressedBytes = entryUncompressedBytes
            self.compressionRatio = compressionRatio
            self.entries = entries
            self.nesting = nesting
            self.textCharacters = textCharacters
        }
    }

    /// The archive and text limits.
    public var limits: Limits
    /// How PDF text is obtained; `nil` reports PDFs as unread.
    public var pdf: PDFToText?

    /// Creates a reader. By default `pdftotext` is looked up on `PATH`.
    public init(limits: Limits = Limits(), pdf: PDFToText? = PDFToText.installed()) {
        self.limits = limits
        self.pdf = pdf
    }

    /// Reads one attachment.
    public func read(_ bytes: [UInt8], filename: String, contentType: String) -> AttachmentText {
        var budget = Budget(remaining: limits.totalUncompressedBytes)
        return read(bytes, filename: filename, contentType: contentType, depth: 0, budget: &budget)
    }

    // MARK: - Dispatch

    /// The kinds of file told apart by name, type and first bytes.
    enum Kind: Equatable {
        case docx, zip, pdf, text, html, doc, other
    }

    static func kind(filename: String, contentType: String, bytes: [UInt8]) -> Kind {
        let name = filename.lowercased()
        let type = contentType.lowercased()
        let ext = name.split(separator: ".").last.map(String.init) ?? ""
        switch ext {
        case "docx", "docm": return .docx
        case "zip": return .zip
        case "pdf": return .pdf
        case "txt", "text", "asc": return .text
        case "html", "htm", "xhtml": return .html
        case "doc", "dot": return .doc
        default: break
        }
        switch type {
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": return .docx
        case "application/zip", "application/x-zip-compressed", "application/x-zip": return .zip
        case "application/pdf": return .pdf
        case "text/plain": return .text
        case "text/html", "application/xhtml+xml": return .html
        case "application/msword": return .doc
        default: break
        }
        if bytes.starts(with: [0x25, 0x50, 0x44, 0x46]) { return .pdf }  // %PDF
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return .doc }  // OLE2 compound file
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }  // PK
        return .other
    }

    func read(_ bytes: [UInt8], filename: String, contentType: String, depth: Int, budget: inout Budget) -> AttachmentText {
        switch DocumentTextReader.kind(filename: filename, contentType: contentType, bytes: bytes) {
        case .docx:
            return WordDocument.text(of: bytes, filename: filename, limits: limits, budget: &budget).capped(limits.textCharacters)
        case .zip:
            return readArchive(bytes, filename: filename, depth: depth, budget: &budget).capped(limits.textCharacters)
        case .pdf:
            guard let pdf else {
                return .unread(reason: "\(filename): PDF text is not read because pdftotext (poppler-utils) is not installed")
            }
            return pdf.text(of: bytes, filename: filename, maxCharacters: limits.textCharacters)
        case .text:
            return .text(PlainText.decode(bytes)).capped(limits.textCharacters)
        case .html:
            return .text(HTMLText.reduce(PlainText.decode(bytes))).capped(limits.textCharacters)
        case .doc:
            return .unread(reason: "\(filename): Word 97-2003 documents (.doc) are not read; ask the sender for .docx or PDF")
        case .other:
            return .notADocument
        }
    }

    /// A `.zip` attachment: the text of each document in it, in archive order.
    private func readArchive(_ bytes: [UInt8], filename: String, depth: Int, budget: inout Budget) -> AttachmentText {
        let archive: ZipArchiveReader
        switch ZipArchiveReader.open(bytes, name: filename, limits: limits) {
        case .success(let opened): archive = opened
        case .failure(let problem): return .unread(reason: problem.description)
        }
        var texts: [String] = []
        var problems: [String] = []
        entries: for entry in archive.entries where !entry.isDirectory {
            let lower = entry.path.lowercased()
            if lower.hasPrefix("__macosx/") || lower.split(separator: "/").last?.hasPrefix(".") == true { continue }
            let innerName = "\(filename)/\(entry.path)"
            let innerKind = DocumentTextReader.kind(filename: entry.path, contentType: "", bytes: [])
            if innerKind == .other { continue }
            if innerKind == .zip, depth + 1 > limits.nesting {
                problems.append("\(innerName): archives nested deeper than \(limits.nesting) level(s) are not opened")
                continue
            }
            let content: [UInt8]
            switch archive.contents(of: entry, budget: &budget) {
            case .success(let data): content = data
            case .failure(let problem):
                problems.append(problem.description)
                if problem.stopsArchive { break entries } else { continue entries }
            }
            let result = read(content, filename: innerName, contentType: "", depth: innerKind == .zip ? depth + 1 : depth, budget: &budget)
            if let text = result.text, !text.isEmpty { texts.append(text) }
            problems += result.problems
        }
        if let problem = archive.problem { problems.append(problem.description) }
        if texts.isEmpty && problems.isEmpty {
            problems.append("\(filename): the archive holds no document Liaison reads (.docx, .pdf, .txt, .html)")
        }
        return AttachmentText(text: texts.isEmpty ? nil : texts.joined(separator: "\n\n"), problems: problems)
    }
}

/// What is left of an attachment's uncompressed-size budget.
struct Budget {
    var remaining: Int
}

extension AttachmentText {
    /// At most `limit` characters of text, with a problem noted when cut.
    func capped(_ limit: Int) -> AttachmentText {
        guard let text, text.count > limit else { return self }
        return AttachmentText(text: String(text.prefix(limit)), problems: problems + ["text cut at \(limit) characters"])
    }
}
