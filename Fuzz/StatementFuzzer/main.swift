// libFuzzer target: statement extraction. Parses the input as a message (default limits) and
// runs what the intake runs on it before anything is stored: classification, the RFC 3834
// reply policy, StatementExtractor (with the attachment readers, PDF off, day-first and
// month-first dates), the JSON view of the statement, and routing against a small directory.
// Built by scripts/fuzz against the instrumented MIME, LiaisonCore, LiaisonDocuments modules.
import Foundation
import LiaisonCore
import LiaisonDocuments
import MIME

let directory = Directory(
    areas: [
        Area(acronym: "ops", name: "Operations and Management", directors: [Contact(name: "Operations ADs", address: "ops-ads@example.test")]),
        Area(acronym: "rtg", name: "Routing", directors: [Contact(address: "rtg-ads@example.test")]),
    ],
    groups: [
        Group(
            acronym: "mars", name: "Management of Access and Residential Systems", area: "ops",
            list: Contact(name: "MARS Discussion List", address: "mars@example.test"),
            chairs: Contact(name: "MARS WG Chairs", address: "mars-chairs@example.test")),
        Group(
            acronym: "ccamp", name: "Common Control and Measurement Plane", area: "rtg",
            list: Contact(address: "ccamp@example.test"), chairs: Contact(address: "ccamp-chairs@example.test")),
    ],
    organizations: [
        Organization(
            name: "ITU-T", aliases: ["ITU-T SG15", "SG15"], domains: ["itu.int"],
            liaisonManagers: [Contact(name: "ITU-T Liaison Manager", address: "lm-itu@example.test")]),
        Organization(name: "3GPP", aliases: ["3GPP SA2", "TSG SA WG2"], domains: ["3gpp.org"]),
        Organization(name: "Broadband Forum", aliases: ["BBF"], domains: ["broadband-forum.org"]),
    ]
)

let settings = IntakeSettings(
    serviceAddress: Contact(name: "Liaison Statements", address: "statements@ietf.org"),
    liaisonManager: Contact(address: "lm@example.test"),
    instanceID: "liaison-fuzz"
)

let reader = DocumentTextReader(pdf: nil)
let dayFirst = StatementExtractor(directory: directory, dates: DateText(dayFirst: true), attachmentReader: reader)
let monthFirst = StatementExtractor(directory: directory, dates: DateText(dayFirst: false), attachmentReader: nil)
let router = Router(directory: directory, rules: [], liaisonManager: settings.liaisonManager)
let encoder = JSONEncoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func statementFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let message = MIMEMessage(bytes: bytes)
    var sink = 0
    sink &+= "\(MessageClassification.classify(message, settings: settings))".utf8.count
    sink &+= AutoReplyPolicy.reasonNotToReply(to: message, settings: settings)?.utf8.count ?? 0
    sink &+= AutoReplyPolicy.acknowledgementRecipient(for: message)?.address.utf8.count ?? 0
    sink &+= StatementExtractor.title(fromSubject: message.subject)?.utf8.count ?? 0
    let extractor = size % 2 == 0 ? dayFirst : monthFirst
    let statement = extractor.extract(from: message)
    sink &+= statement.body.utf8.count &+ statement.missing.count &+ statement.triageReasons.count
    sink &+= (try? encoder.encode(StatementOutput(statement)))?.count ?? 0
    let decision = router.route(statement)
    sink &+= "\(decision)".utf8.count
    if sink == 0x7FFF_FFFF_FFFF { print(sink) }
    return 0
}
