import Foundation
import LiaisonCore
import LiaisonDocuments
import MIME
import Testing

/// The first attachment of a fixture message.
func fixtureAttachment(_ name: String) throws -> (bytes: [UInt8], filename: String, contentType: String) {
    let message = MIMEMessage(bytes: try StatementFixtures.bytes("\(name).eml"))
    let part = try #require(message.attachments.first)
    return (part.decodedBody(), part.filename ?? "", part.contentType.mimeType)
}

@Suite("Attachment text")
struct DocumentTextReaderTests {
    let reader = DocumentTextReader(pdf: nil)

    @Test("A .docx gives its paragraphs, and table rows as tab-separated cells")
    func docx() throws {
        let file = try fixtureAttachment("09-itu-docx-header-table")
        let text = try #require(reader.read(file.bytes, filename: file.filename, contentType: file.contentType).text)
        #expect(text.contains("Question(s):\t14/15\tMeeting, date:\tGeneva, 9-20 November 2026"))
        #expect(text.contains("Contact:\tA. Rapporteur; Example Networks; Switzerland\tE-mail: a.rapporteur@example.com"))
        #expect(text.contains("LIAISON STATEMENT"))
    }

    @Test("A .zip of a .docx (3GPP) gives the document's text")
    func zippedDocx() throws {
        let file = try fixtureAttachment("11-3gpp-zipped-docx")
        let result = reader.read(file.bytes, filename: file.filename, contentType: file.contentType)
        #expect(result.problems.isEmpty)
        #expect(result.text?.contains("Send any reply LS to:\t3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org") == true)
    }

    @Test("HTML is reduced to text; table cells become tabs and entities are decoded")
    func html() throws {
        let file = try fixtureAttachment("17-ieee-80211-html")
        let text = try #require(reader.read(file.bytes, filename: file.filename, contentType: file.contentType).text)
        #expect(text.contains("Title:\tLS on IEEE 802.11u requirements for network selection"))
        #expect(text.contains("IEEE 802.11 Chair <p80211-chair@ieee.org>"))
        #expect(!text.contains("padding"))
        #expect(!text.contains("<td>") && !text.contains("<p>"))
    }

    @Test("Plain text in UTF-8, UTF-16 and Latin-1")
    func plainText() {
        #expect(reader.read(Array("Title: é\r\n".utf8), filename: "a.txt", contentType: "text/plain").text == "Title: é\n")
        #expect(reader.read([0xFF, 0xFE, 0x41, 0x00, 0xE9, 0x00], filename: "a.txt", contentType: "").text == "Aé")
        #expect(reader.read([0x41, 0xE9], filename: "a.txt", contentType: "").text == "Aé")
    }

    @Test("Images and signatures are not documents: nothing read, nothing wrong")
    func notDocuments() {
        let result = reader.read([0x89, 0x50, 0x4E, 0x47], filename: "logo.png", contentType: "image/png")
        #expect(result == .notADocument)
    }

    @Test("Each limit is a reason, never a crash")
    func limits() throws {
        let zip = try fixtureAttachment("11-3gpp-zipped-docx")
        let tinyTotal = DocumentTextReader(limits: .init(totalUncompressedBytes: 100), pdf: nil)
        let total = tinyTotal.read(zip.bytes, filename: zip.filename, contentType: zip.contentType)
        #expect(total.text == nil)
        #expect(total.problems.first?.contains("more than 100 bytes in all") == true)

        let tinyEntry = DocumentTextReader(limits: .init(entryUncompressedBytes: 100), pdf: nil)
        let entry = tinyEntry.read(zip.bytes, filename: zip.filename, contentType: zip.contentType)
        #expect(entry.problems.first?.contains("limit per entry") == true)

        let noEntries = DocumentTextReader(limits: .init(entries: 0), pdf: nil)
        let entries = noEntries.read(zip.bytes, filename: zip.filename, contentType: zip.contentType)
        #expect(entries.problems.first?.contains("more than 0 entries") == true)

        let nested = try fixtureAttachment("28-hostile-nested-zip")
        let deeper = DocumentTextReader(limits: .init(nesting: 2), pdf: nil)
        #expect(deeper.read(nested.bytes, filename: nested.filename, contentType: nested.contentType).text?.contains("LS OUT on User Plane Analysis") == true)
        #expect(reader.read(nested.bytes, filename: nested.filename, contentType: nested.contentType).text == nil)
    }

    @Test("Garbage named .docx, .zip or .pdf is unread with a reason", arguments: ["x.docx", "x.zip", "x.pdf", "x.doc"])
    func garbage(filename: String) {
        let result = reader.read(Array("PK not really".utf8), filename: filename, contentType: "application/octet-stream")
        #expect(result.text == nil)
        #expect(!result.problems.isEmpty)
    }

    @Test("pdftotext reads a PDF; a damaged PDF is unread with a reason", .enabled(if: PDFToText.installed() != nil))
    func pdf() throws {
        let file = try fixtureAttachment("15-bbf-pdf")
        let withPDF = DocumentTextReader()
        let text = try #require(withPDF.read(file.bytes, filename: file.filename, contentType: file.contentType).text)
        #expect(text.contains("Title: Published TR-398 Issue 4 Wi-Fi performance testing"))
        let damaged = withPDF.read(Array(file.bytes.prefix(40)), filename: "cut.pdf", contentType: "application/pdf")
        #expect(damaged.text == nil)
        #expect(damaged.problems.first?.hasPrefix("cut.pdf: ") == true)
    }

    @Test("A missing converter is reported, not fatal")
    func missingConverter() {
        #expect(PDFToText.installed(searchPath: "/nonexistent") == nil)
        let broken = DocumentTextReader(pdf: PDFToText(executable: "/nonexistent/pdftotext"))
        let result = broken.read(Array("%PDF-1.4".utf8), filename: "a.pdf", contentType: "application/pdf")
        #expect(result.text == nil)
        #expect(result.problems.first?.contains("could not be started") == true)
    }
}

@Suite("Attachment text: damaged input")
struct DamagedAttachmentTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Found by this test: ZIPFoundation's in-memory archive traps on an offset past the end, and
    /// its Linux inflate loop never ends on a cut stream; `ZipStructure` guards both.
    @Test(
        "Corrupted, cut and shuffled archives give a result, never a crash or a hang",
        arguments: ["09-itu-docx-header-table", "11-3gpp-zipped-docx", "28-hostile-nested-zip"])
    func mutations(fixture: String) throws {
        let file = try fixtureAttachment(fixture)
        let reader = DocumentTextReader(pdf: nil)
        var random = SplitMix(state: 42)
        var unread = 0
        for round in 0..<300 {
            var bytes = file.bytes
            switch round % 3 {
            case 0:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            default:
                let cut = Int.random(in: 0..<bytes.count, using: &random)
                bytes = Array(bytes[cut...] + bytes[..<cut])
            }
            let result = reader.read(bytes, filename: file.filename, contentType: file.contentType)
            if result.text == nil {
                unread += 1
                #expect(!result.problems.isEmpty, "round \(round): unread without a reason")
            }
        }
        #expect(unread > 0)
    }
}
