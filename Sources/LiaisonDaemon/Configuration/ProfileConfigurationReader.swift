import Foundation
import LiaisonCore
import Yams

/// Reads `directory.profiles` (what each peer expects of the statements the IETF sends it),
/// reporting problems with file, line and key (docs/configuration.md#profiles).
struct ProfileConfigurationReader {
    let cursor: YAMLCursor
    /// Checks one address (the loader's own check).
    let contact: (String, Node?, String) -> Contact?

    func read(_ map: Node.Mapping, parent: String, organizations: [Organization]) -> [PeerProfile] {
        var profiles: [PeerProfile] = []
        for (item, itemKey) in cursor.sequence(map, "profiles", parent: parent) {
            guard let profile = cursor.mapping(item, key: itemKey) else { continue }
            cursor.rejectUnknownKeys(
                profile,
                known: [
                    "name", "organizations", "liaison_address", "required_fields", "attachment_types", "needs_readable_copy",
                    "title_pattern", "title_hint", "deadline_for_action",
                ], key: itemKey)
            guard let name = cursor.string(profile, "name", parent: itemKey, required: true) else { continue }
            if profiles.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                cursor.problem("profile \(name) is defined twice", at: profile["name"], key: "\(itemKey).name")
            }
            let named = cursor.strings(profile, "organizations", parent: itemKey)
            let known = Set(organizations.flatMap { [$0.name] + $0.aliases }.map { $0.lowercased() })
            for (organization, node) in named where !known.contains(organization.lowercased()) {
                cursor.problem("unknown organization \(organization) (define it under directory.organizations)", at: node, key: "\(itemKey).organizations")
            }
            if name.lowercased() != "default", named.isEmpty, !known.contains(name.lowercased()) {
                cursor.problem(
                    "\(name) is no organization of the directory: name one under organizations, or call the profile default",
                    at: profile["name"], key: "\(itemKey).name")
            }
            let address = cursor.string(profile, "liaison_address", parent: itemKey).flatMap {
                contact($0, profile["liaison_address"], "\(itemKey).liaison_address")
            }
            let pattern = cursor.string(profile, "title_pattern", parent: itemKey)
            if let pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                cursor.problem("is not a valid regular expression", at: profile["title_pattern"], key: "\(itemKey).title_pattern")
            }
            func extensions(_ name: String) -> [String]? {
                guard profile[name] != nil else { return nil }
                return cursor.strings(profile, name, parent: itemKey).compactMap { text, node in
                    let type = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                    guard !type.isEmpty, type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                        cursor.problem("must be a file extension such as pdf or docx", at: node, key: "\(itemKey).\(name)")
                        return nil
                    }
                    return type
                }
            }
            var built = PeerProfile(
                name: name, organizations: named.map(\.0), liaisonAddress: address,
                requiredFields: cursor.strings(profile, "required_fields", parent: itemKey).map(\.0),
                titlePattern: pattern, titleHint: cursor.string(profile, "title_hint", parent: itemKey),
                deadlineForAction: cursor.bool(profile, "deadline_for_action", parent: itemKey) ?? true)
            if let types = extensions("attachment_types") { built.attachmentTypes = types }
            if let types = extensions("needs_readable_copy") { built.needsReadableCopy = types }
            profiles.append(built)
        }
        return profiles
    }
}
