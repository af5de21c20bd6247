// libFuzzer target: the attachment readers of LiaisonDocuments. The first input byte picks the
// file name (and so the reader): .docx, .zip, .txt, .html, or a name-less part whose first bytes
// decide; the rest is the attachment. PDF is off (pdftotext is an external process). Small
// limits are used for odd selectors, so the zip-bomb limit paths run too.
// Built by scripts/fuzz against the instrumented MIME, LiaisonCore, ZIPFoundation, LiaisonDocuments modules.
import LiaisonCore
import LiaisonDocuments

let names = ["statement.docx", "statement.zip", "statement.txt", "statement.html", "attachment"]
let types = ["", "", "text/plain", "text/html", "application/octet-stream"]
let standard = DocumentTextReader(pdf: nil)
let tight = DocumentTextReader(
    limits: DocumentTextReader.Limits(
        totalUncompressedBytes: 1 << 16, entryUncompressedBytes: 1 << 15, compressionRatio: 20, entries: 8,
        nesting: 1, textCharacters: 4096),
    pdf: nil)

@_cdecl("LLVMFuzzerTestOneInput")
public func documentFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let kind = selector % names.count
    let reader = (selector / names.count) % 2 == 0 ? standard : tight
    let result = reader.read(bytes, filename: names[kind], contentType: types[kind])
    var sink = result.text?.utf8.count ?? 0
    for problem in result.problems { sink &+= problem.utf8.count }
    if sink == 0x7FFF_FFFF_FFFF { print(sink) }
    return 0
}
