import Foundation
import LiaisonCore

/// The JSON form of an extracted statement printed by `liaison parse --json`.
struct StatementJSON: Encodable {
    struct Attachment: Encodable {
        var filename: String
        var contentType: String
        var size: Int
        var sha256: String

        enum CodingKeys: String, CodingKey {
            case filename, size, sha256
            case contentType = "content_type"
        }
    }

    struct Source: Encodable {
        var origin: String
        var location: String
        var confidence: Double
    }

    var title: String?
    var from: String?
    var fromGroups: [String]
    var fromContacts: [String]
    var toGroups: [String]
    var toContacts: [String]
    var cc: [String]
    var responseContacts: [String]
    var technicalContacts: [String]
    var purpose: String?
    var deadline: String?
    var submissionDate: String?
    var identifiers: [String]
    var body: String
    var attachments: [Attachment]
    var layout: String
    var state: String
    var missing: [String]
    var sources: [String: Source]

    enum CodingKeys: String, CodingKey {
        case title, from, purpose, deadline, identifiers, body, attachments, layout, state, missing, sources, cc
        case fromGroups = "from_groups"
        case fromContacts = "from_contacts"
        case toGroups = "to_groups"
        case toContacts = "to_contacts"
        case responseContacts = "response_contacts"
        case technicalContacts = "technical_contacts"
        case submissionDate = "submission_date"
    }

    init(_ statement: Statement) {
        title = statement.title
        from = statement.fromOrganization
        fromGroups = statement.fromGroups
        fromContacts = statement.fromContacts.map(\.description)
        toGroups = statement.toGroups
        toContacts = statement.toContacts.map(\.description)
        cc = statement.ccContacts.map(\.description)
        responseContacts = statement.responseContacts.map(\.description)
        technicalContacts = statement.technicalContacts.map(\.description)
        purpose = statement.purpose?.rawValue
        deadline = statement.deadline?.description
        submissionDate = statement.submissionDate?.description
        identifiers = statement.identifiers
        body = statement.body
        attachments = statement.attachments.map {
            Attachment(filename: $0.filename, contentType: $0.contentType, size: $0.size, sha256: $0.sha256)
        }
        layout = statement.layout.rawValue
        state = statement.needsTriage ? StatementState.needsTriage.rawValue : "complete"
        missing = statement.missing.map(\.rawValue)
        sources = Dictionary(
            uniqueKeysWithValues: statement.sources.map { field, source in
                (field.rawValue, Source(origin: source.origin.rawValue, location: source.location, confidence: source.confidence))
            })
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
