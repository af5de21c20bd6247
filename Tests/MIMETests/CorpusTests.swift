import Foundation
import Testing

@testable import MIME

/// Every message of the developers' corpus parses, walks and decodes.
@Suite("Corpus")
struct CorpusTests {
    @Test("The corpus is found next to the repository")
    func corpusPresent() {
        #expect(TestSupport.corpusFiles.count >= 274, "corpus at \(TestSupport.corpusDirectory.path)")
    }

    @Test("Each corpus message parses, walks and decodes", arguments: TestSupport.corpusFiles)
    func walk(_ path: String) {
        let bytes = TestSupport.corpusBytes(path)
        #expect(!bytes.isEmpty)
        let message = MIMEMessage(bytes: bytes)
        let defects = message.defects
        var parts = 0
        for part in message.allParts {
            parts += 1
            _ = part.header.fields.map { ($0.name, $0.value, $0.decodedValue) }
            // Children lie inside the parent's body, in order, without overlap
            // (slices of one buffer share its indices).
            var previousEnd = part.rawBody.startIndex
            for child in part.children {
                #expect(child.rawBytes.startIndex >= previousEnd && child.rawBytes.endIndex <= part.rawBody.endIndex)
                previousEnd = child.rawBytes.endIndex
            }
            if part.isMultipart {
                // A multipart has children, or says why not.
                #expect(!part.children.isEmpty || !part.defects.isEmpty, "\(path): empty multipart without a defect")
            } else if let embedded = part.embeddedMessage {
                _ = embedded.subject
                _ = embedded.from
            } else {
                let decoded = part.decodedBody()
                if part.transferEncoding == "7bit" || part.transferEncoding == "8bit"
                    || part.transferEncoding == "binary"
                {
                    #expect(decoded.count == part.rawBody.count)
                }
                if part.contentType.type == "text" {
                    #expect(part.text() != nil)
                }
                _ = part.filename
                _ = part.isAttachment
            }
        }
        #expect(parts >= 1)
        _ = message.subject
        _ = message.from + message.to + message.cc + message.replyTo
        _ = message.date
        _ = message.messageID
        _ = message.references
        _ = message.textBody()
        _ = message.attachments.map { $0.decodedBody().count }
        _ = defects
        // The root's raw bytes are the input.
        #expect(message.bytes == bytes)
    }
}
