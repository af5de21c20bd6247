import Foundation
import LiaisonCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The text of a WordprocessingML (`.docx`) document: `word/document.xml`, paragraph by
/// paragraph; a table row becomes one line of tab-separated cells (a cell's paragraphs joined by
/// "; "), so header tables read as `Title:⇥LS on …`.
enum WordDocument {
    static func text(
        of bytes: [UInt8], filename: String, limits: DocumentTextReader.Limits, budget: inout Budget
    ) -> AttachmentText {
        let archive: ZipArchiveReader
        switch ZipArchiveReader.open(bytes, name: filename, limits: limits) {
        case .success(let opened): archive = opened
        case .failure(let problem): return .unread(reason: problem.description)
        }
        guard let entry = archive.entry(named: "word/document.xml") else {
            return .unread(reason: "\(filename): not a Word document (no word/document.xml)")
        }
        let xml: [UInt8]
        switch archive.contents(of: entry, budget: &budget) {
        case .success(let data): xml = data
        case .failure(let problem): return .unread(reason: problem.description)
        }
        // WordprocessingML never declares a DTD; one is only there to expand entities (billion laughs).
        if WordDocument.declaresDTD(xml) {
            return .unread(reason: "\(filename): word/document.xml declares a DTD; not read")
        }
        guard let text = WordDocument.text(ofXML: xml) else {
            return .unread(reason: "\(filename): word/document.xml is not well-formed XML")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .unread(reason: "\(filename): the document holds no text")
        }
        return .text(text)
    }

    /// Whether the XML has a `<!DOCTYPE` (markup only: in text it would be escaped).
    static func declaresDTD(_ xml: [UInt8]) -> Bool {
        let marker = Array("<!DOCTYPE".utf8)
        guard xml.count >= marker.count else { return false }
        var index = 0
        while let start = xml[index...].firstIndex(of: UInt8(ascii: "<")) {
            if xml[start...].starts(with: marker) { return true }
            index = start + 1
        }
        return false
    }

    /// The text of a `word/document.xml`, or `nil` when it is not XML.
    static func text(ofXML xml: [UInt8]) -> String? {
        let parser = XMLParser(data: Data(xml))
        parser.shouldResolveExternalEntities = false
        let collector = WordTextCollector()
        parser.delegate = collector
        guard parser.parse() else { return nil }
        return collector.lines.joined(separator: "\n")
    }
}

/// Collects paragraphs and table rows while the XML is parsed.
private final class WordTextCollector: NSObject, XMLParserDelegate {
    var lines: [String] = []
    private var paragraph = ""
    private var inText = false
    private var tableDepth = 0
    private var row: [String] = []
    private var cell: [String] = []

    private static func localName(_ name: String) -> Substring {
        name.split(separator: ":").last ?? Substring(name)
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch WordTextCollector.localName(elementName) {
        case "t": inText = true
        case "tab": paragraph += tableDepth > 0 ? " " : "\t"
        case "br", "cr": paragraph += tableDepth > 0 ? " " : "\n"
        case "p": paragraph = ""
        case "tbl": tableDepth += 1
        case "tr" where tableDepth == 1: row = []
        case "tc" where tableDepth == 1: cell = []
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch WordTextCollector.localName(elementName) {
        case "t": inText = false
        case "p":
            if tableDepth > 0 {
                let trimmed = paragraph.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { cell.append(trimmed) }
            } else {
                lines.append(paragraph)
            }
            paragraph = ""
        case "tc" where tableDepth == 1: row.append(cell.joined(separator: "; "))
        case "tr" where tableDepth == 1: lines.append(row.joined(separator: "\t"))
        case "tbl": tableDepth = max(0, tableDepth - 1)
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { paragraph += string }
    }
}
