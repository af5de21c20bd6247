import Foundation
import LiaisonCore
import MIME

/// Reads a fixture message of this test target.
func fixture(_ name: String) throws -> [UInt8] {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil),
        let data = FileManager.default.contents(atPath: url.path)
    else {
        throw FixtureError.missing(name)
    }
    return [UInt8](data)
}

enum FixtureError: Error { case missing(String) }

/// The directory of the demo configuration, with the `t` address prefix.
let testDirectory = Directory(
    areas: [
        Area(acronym: "ops", name: "Operations and Management", directors: [Contact(name: "Operations ADs", address: "t-ops-ads@example.test")]),
        Area(acronym: "rtg", name: "Routing", directors: [Contact(name: "Routing ADs", address: "t-rtg-ads@example.test")]),
    ],
    groups: [
        Group(
            acronym: "mars", name: "Management of Access and Residential Systems", area: "ops",
            list: Contact(name: "MARS Discussion List", address: "t-mars@example.test"),
            chairs: Contact(name: "MARS WG Chairs", address: "t-mars-chairs@example.test")),
        Group(
            acronym: "ccamp", name: "Common Control and Measurement Plane", area: "rtg",
            list: Contact(address: "t-ccamp@example.test"), chairs: Contact(address: "t-ccamp-chairs@example.test")),
    ],
    organizations: [
        Organization(
            name: "ITU-T", aliases: ["ITU-T SG15"], domains: ["itu.int"],
            liaisonManagers: [Contact(name: "ITU-T Liaison Manager", address: "t-lm-itu@example.test")]),
        Organization(
            name: "Broadband Forum", aliases: ["BBF"], domains: ["broadband-forum.example"],
            liaisonManagers: [Contact(address: "t-lm-bbf@example.test")]),
    ]
)

let testSettings = IntakeSettings(
    serviceAddress: Contact(name: "Liaison Statements", address: "t-intake@example.test"),
    liaisonManager: Contact(name: "IETF Liaison Manager", address: "t-lm@example.test"),
    timeZone: TimeZone(identifier: "America/Los_Angeles") ?? .current,
    instanceID: "liaison-test"
)

/// Renders templates as a readable dump of the context, so tests can see what a template got.
struct EchoTemplates: TemplateRendering {
    func render(_ name: String, context: TemplateValue) throws -> String {
        guard case .object(let fields) = context else { return name }
        return ([name] + fields.keys.sorted().compactMap { key in
            if case .string(let value) = fields[key] { return "\(key)=\(value)" }
            return nil
        }).joined(separator: "\n")
    }
}
