import Foundation
import LiaisonCore
import MIME
import MailTransport
import Yams

/// Reads and validates `liaison.yaml`, reporting every problem with file, line and key.
public enum ConfigurationLoader {
    /// The default configuration file location.
    public static let defaultPath = "/etc/liaison/liaison.yaml"

    /// Loads the configuration at `path`; relative paths inside it are relative to its folder.
    ///
    /// - Throws: ``ConfigError`` with every problem found.
    public static func load(path: String) throws -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(text, file: path)
    }

    /// Validates configuration text as if it had been read from `file`.
    public static func parse(_ text: String, file: String) throws -> Configuration {
        let cursor = YAMLCursor(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.invalid([yamlProblem(error, file: file)])
        } catch {
            throw ConfigError.invalid([ConfigProblem(file: file, line: nil, key: "", message: "not valid YAML: \(error)")])
        }
        let baseDirectory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let reader = Reader(cursor: cursor, base: baseDirectory)
        let configuration = reader.read(root)
        if !cursor.problems.isEmpty { throw ConfigError.invalid(cursor.problems) }
        guard let configuration else {
            throw ConfigError.invalid([ConfigProblem(file: file, line: nil, key: "", message: "the configuration is empty")])
        }
        return configuration
    }

    private static func yamlProblem(_ error: YamlError, file: String) -> ConfigProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigProblem(file: file, line: mark.line, key: "", message: "not valid YAML: \(problem)")
        default:
            return ConfigProblem(file: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
    }
}

/// The per-section readers; each reports its problems to the cursor and returns what it could read.
private struct Reader {
    let cursor: YAMLCursor
    let base: String

    func read(_ root: Node?) -> Configuration? {
        guard let top = cursor.mapping(root, key: "") else { return nil }
        cursor.rejectUnknownKeys(
            top, known: ["service", "imap", "smtp", "outbox", "directory", "directory_file", "rules", "reminders", "digest", "http", "logging"], key: "")
        let service = cursor.mapping(top["service"], key: "service")
        if top["service"] == nil { cursor.problem("is required", at: nil, key: "service") }
        let intake = readService(service)
        let imap = readIMAP(top["imap"])
        let smtp = readSMTP(top["smtp"])
        let retry = readOutbox(top["outbox"])
        var directory = Directory()
        var rules: [RoutingRule] = []
        if let file = cursor.string(top, "directory_file", parent: "") {
            if top["directory"] != nil {
                cursor.problem("give either directory or directory_file, not both", at: top["directory"], key: "directory")
            }
            if let included = readDirectoryFile(file, node: top["directory_file"]) {
                directory = included.directory
                rules = included.rules
            }
        } else {
            directory = readDirectory(top["directory"])
        }
        rules += readRules(top, directory: directory)
        checkRuleSet(rules)
        let reminderReader = ReminderConfigurationReader(cursor: cursor, contact: { checkedContact($0, node: $1, key: $2) })
        let reminders = reminderReader.readReminders(top["reminders"], directory: directory)
        let digest = reminderReader.readDigest(top["digest"])
        let http = HTTPConfigurationReader(cursor: cursor).read(top["http"])
        let logging = LoggingConfigurationReader(cursor: cursor).read(top["logging"])
        guard var intake, let imap, let smtp else { return nil }
        intake.settings.processedFolder = imap.processedFolder
        intake.settings.quarantineFolder = imap.quarantineFolder
        return Configuration(
            file: cursor.file,
            intake: intake.settings,
            stateDirectory: intake.stateDirectory,
            templatesDirectory: intake.templatesDirectory,
            dayFirstDates: intake.dayFirst,
            imap: imap,
            smtp: smtp,
            retry: retry,
            directory: directory,
            rules: rules,
            reminders: reminders,
            digest: digest,
            http: http,
            logging: logging
        )
    }

    // MARK: service

    struct Service {
        var settings: IntakeSettings
        var stateDirectory: String
        var templatesDirectory: String
        var dayFirst: Bool
    }

    func readService(_ map: Node.Mapping?) -> Service? {
        guard let map else { return nil }
        let key = "service"
        cursor.rejectUnknownKeys(
            map,
            known: [
                "address", "liaison_manager", "reference_prefix", "time_zone", "instance_id", "state_directory",
                "templates_directory", "acknowledgements", "date_order", "own_addresses", "message_id_domain",
                "acknowledgements_per_sender_per_day", "sender_authentication", "invitation_address", "submission_address",
            ], key: key)
        let address = contact(map, "address", parent: key, required: true)
        let manager = contact(map, "liaison_manager", parent: key, required: true)
        let prefix = cursor.string(map, "reference_prefix", parent: key) ?? "LS"
        if !prefix.allSatisfy({ $0.isASCII && $0.isLetter }) || prefix.isEmpty {
            cursor.problem("must be letters only, like LS", at: map["reference_prefix"], key: "\(key).reference_prefix")
        }
        var timeZone = TimeZone(identifier: "UTC") ?? .current
        if let name = cursor.string(map, "time_zone", parent: key) {
            if let zone = TimeZone(identifier: name) {
                timeZone = zone
            } else {
                cursor.problem("unknown time zone \(name) (use an IANA name such as America/Los_Angeles)", at: map["time_zone"], key: "\(key).time_zone")
            }
        }
        let state = path(cursor.string(map, "state_directory", parent: key, required: true))
        let templates = path(cursor.string(map, "templates_directory", parent: key)) ?? path("templates")
        var dayFirst = true
        if let order = cursor.string(map, "date_order", parent: key) {
            switch order {
            case "day-first": dayFirst = true
            case "month-first": dayFirst = false
            default: cursor.problem("must be day-first or month-first", at: map["date_order"], key: "\(key).date_order")
            }
        }
        let own = cursor.strings(map, "own_addresses", parent: key).compactMap { text, node in
            checkedContact(text, node: node, key: "\(key).own_addresses")?.address
        }
        let authentication = readSenderAuthentication(map["sender_authentication"], parent: key)
        guard let address, let manager, let state, let templates else { return nil }
        var settings = IntakeSettings(
            serviceAddress: address,
            liaisonManager: manager,
            referencePrefix: prefix,
            timeZone: timeZone,
            messageIDDomain: cursor.string(map, "message_id_domain", parent: key),
            instanceID: cursor.string(map, "instance_id", parent: key) ?? "liaison",
            processedFolder: "Processed",
            quarantineFolder: "Quarantine",
            ownAddresses: own,
            sendsAcknowledgements: cursor.bool(map, "acknowledgements", parent: key) ?? true,
            acknowledgementsPerSenderPerDay: cursor.int(map, "acknowledgements_per_sender_per_day", parent: key, range: 0...10_000) ?? 10
        )
        settings.senderAuthentication = authentication
        // Invitations to comment (docs/engagement.md): a second address delivered to the intake mailbox.
        if let invitation = contact(map, "invitation_address", parent: key, required: false) {
            if invitation.address.lowercased() == address.address.lowercased() {
                cursor.problem(
                    "must differ from service.address (e.g. a plus address such as statements+invite@…)", at: map["invitation_address"],
                    key: "\(key).invitation_address")
            }
            settings.invitationAddress = invitation.address
        }
        // Outgoing statements (docs/outgoing.md): drafts mailed to a second address of the intake mailbox.
        if let submission = contact(map, "submission_address", parent: key, required: false) {
            if submission.address.lowercased() == address.address.lowercased() {
                cursor.problem(
                    "must differ from service.address (e.g. a plus address such as statements+submit@…)", at: map["submission_address"],
                    key: "\(key).submission_address")
            }
            settings.submissionAddress = submission
        }
        return Service(settings: settings, stateDirectory: state, templatesDirectory: templates, dayFirst: dayFirst)
    }

    /// `service.sender_authentication`: `trusted_authserv_ids` (required), `require` (any of
    /// dmarc, dkim, spf; dmarc when absent) and `received_above` (0 when absent).
    func readSenderAuthentication(_ node: Node?, parent: String) -> SenderAuthenticationPolicy? {
        let key = "\(parent).sender_authentication"
        guard let map = cursor.mapping(node, key: key) else { return nil }
        cursor.rejectUnknownKeys(map, known: ["trusted_authserv_ids", "require", "received_above"], key: key)
        let receivedAbove = cursor.int(map, "received_above", parent: key, range: 0...10) ?? 0
        let ids = cursor.strings(map, "trusted_authserv_ids", parent: key).compactMap { text, node -> String? in
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ";") }) else {
                cursor.problem("must be a host name such as mx.example.org", at: node, key: "\(key).trusted_authserv_ids")
                return nil
            }
            return text
        }
        if ids.isEmpty { cursor.problem("is required: the authserv-id your MTA writes in Authentication-Results", at: map["trusted_authserv_ids"], key: "\(key).trusted_authserv_ids") }
        var methods: [SenderAuthenticationPolicy.Method] = []
        for (text, node) in cursor.strings(map, "require", parent: key) {
            if let method = SenderAuthenticationPolicy.Method(rawValue: text.lowercased()) {
                methods.append(method)
            } else {
                cursor.problem("must be dmarc, dkim or spf", at: node, key: "\(key).require")
            }
        }
        guard !ids.isEmpty else { return nil }
        return SenderAuthenticationPolicy(
            trustedAuthservIDs: ids, accepted: methods.isEmpty ? [.dmarc] : methods, receivedAbove: receivedAbove)
    }

    // MARK: imap / smtp

    func readIMAP(_ node: Node?) -> IMAPSettings? {
        let key = "imap"
        guard let node else {
            cursor.problem("is required", at: nil, key: key)
            return nil
        }
        guard let map = cursor.mapping(node, key: key) else { return nil }
        cursor.rejectUnknownKeys(
            map,
            known: [
                "url", "tls", "username", "password_file", "ca_file", "mailbox", "processed_folder",
                "quarantine_folder", "poll_interval_seconds", "allow_plaintext", "idle",
            ], key: key)
        let url = serverURL(map, parent: key, schemes: ["imap", "imaps"])
        let tls = tlsMode(map, parent: key, url: url, implicitScheme: "imaps")
        let username = cursor.string(map, "username", parent: key, required: true)
        let passwordFile = secretFile(map, "password_file", parent: key, required: true)
        let caFile = existingFile(map, "ca_file", parent: key)
        let mailbox = cursor.string(map, "mailbox", parent: key) ?? "INBOX"
        let interval = cursor.int(map, "poll_interval_seconds", parent: key, range: 1...86400) ?? 60
        checkPlaintext(map, parent: key, url: url, tls: tls)
        for name in ["processed_folder", "quarantine_folder"] {
            if let folder = cursor.string(map, name, parent: key), folder.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
                cursor.problem("must not contain control characters, quotes or backslashes", at: map[name], key: "\(key).\(name)")
            }
        }
        guard let url, let tls, let username, let passwordFile else { return nil }
        return IMAPSettings(
            url: url, tls: tls, username: username, passwordFile: passwordFile, caFile: caFile, mailbox: mailbox,
            processedFolder: cursor.string(map, "processed_folder", parent: key) ?? "Processed",
            quarantineFolder: cursor.string(map, "quarantine_folder", parent: key) ?? "Quarantine",
            pollInterval: interval, allowPlaintext: tls == .none, idle: cursor.bool(map, "idle", parent: key))
    }

    func readSMTP(_ node: Node?) -> SMTPSettings? {
        let key = "smtp"
        guard let node else {
            cursor.problem("is required", at: nil, key: key)
            return nil
        }
        guard let map = cursor.mapping(node, key: key) else { return nil }
        cursor.rejectUnknownKeys(
            map, known: ["url", "tls", "username", "password_file", "ca_file", "helo_name", "allow_plaintext"], key: key)
        let url = serverURL(map, parent: key, schemes: ["smtp", "smtps"])
        let tls = tlsMode(map, parent: key, url: url, implicitScheme: "smtps")
        let username = cursor.string(map, "username", parent: key)
        let passwordFile = secretFile(map, "password_file", parent: key, required: false)
        // Compared on the keys, not the values: a password_file that failed to read is reported
        // once, by secretFile, not again as a missing pair.
        if (map["username"] == nil) != (map["password_file"] == nil) {
            cursor.problem("username and password_file go together", at: map["username"] ?? map["password_file"], key: key)
        }
        let caFile = existingFile(map, "ca_file", parent: key)
        let helo = cursor.string(map, "helo_name", parent: key) ?? "localhost"
        if !helo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            cursor.problem("must be a host name", at: map["helo_name"], key: "\(key).helo_name")
        }
        checkPlaintext(map, parent: key, url: url, tls: tls)
        guard let url, let tls else { return nil }
        return SMTPSettings(
            url: url, tls: tls, username: username, passwordFile: passwordFile, caFile: caFile, heloName: helo,
            allowPlaintext: tls == .none)
    }

    func serverURL(_ map: Node.Mapping, parent: String, schemes: [String]) -> String? {
        guard let url = cursor.string(map, "url", parent: parent, required: true) else { return nil }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            schemes.contains(scheme), let host = components.host, !host.isEmpty
        else {
            cursor.problem(
                "must look like \(schemes[0])://host:port or \(schemes[1])://host:port", at: map["url"], key: "\(parent).url")
            return nil
        }
        if components.path.count > 1 || components.query != nil || components.user != nil {
            cursor.problem("must name only the scheme, host and port", at: map["url"], key: "\(parent).url")
            return nil
        }
        return url
    }

    func tlsMode(_ map: Node.Mapping, parent: String, url: String?, implicitScheme: String) -> TLSMode? {
        let isImplicit = url.flatMap { URLComponents(string: $0)?.scheme?.lowercased() } == implicitScheme
        guard let text = cursor.string(map, "tls", parent: parent) else {
            return isImplicit ? .implicit : .starttls
        }
        guard let mode = TLSMode(rawValue: text) else {
            cursor.problem("must be implicit, starttls or none", at: map["tls"], key: "\(parent).tls")
            return nil
        }
        if isImplicit != (mode == .implicit), url != nil {
            cursor.problem(
                isImplicit ? "a \(implicitScheme):// URL always uses implicit TLS" : "implicit TLS needs a \(implicitScheme):// URL",
                at: map["tls"], key: "\(parent).tls")
            return nil
        }
        return mode
    }

    /// Plain text (`tls: none`: password and mail in clear) only when asked for with
    /// `allow_plaintext: true`, for any host; the settings then carry `allowPlaintext` (the runtime
    /// warns when the host is not loopback). Without `tls: none` the key changes nothing.
    func checkPlaintext(_ map: Node.Mapping, parent: String, url: String?, tls: TLSMode?) {
        let allowed = cursor.bool(map, "allow_plaintext", parent: parent) == true
        guard tls == TLSMode.none, !allowed, let url, let host = URLComponents(string: url)?.host else { return }
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        if !loopback {
            cursor.problem(
                "tls: none would send the password and mail in clear to \(host), which is not a loopback host; "
                    + "refused unless allow_plaintext: true", at: map["tls"], key: "\(parent).tls")
        } else {
            cursor.problem("tls: none also needs allow_plaintext: true", at: map["tls"], key: "\(parent).tls")
        }
    }

    func secretFile(_ map: Node.Mapping, _ name: String, parent: String, required: Bool) -> String? {
        guard let raw = cursor.string(map, name, parent: parent, required: required) else { return nil }
        let resolved: String
        switch SecretFile.resolve(raw, relativeTo: base) {
        case .success(let path): resolved = path
        case .failure(let problem):
            cursor.problem(problem.message, at: map[name], key: "\(parent).\(name)")
            return nil
        }
        if !FileManager.default.isReadableFile(atPath: resolved) {
            cursor.problem("file \(resolved) does not exist or is not readable", at: map[name], key: "\(parent).\(name)")
        }
        return resolved
    }

    func existingFile(_ map: Node.Mapping, _ name: String, parent: String) -> String? {
        guard let raw = cursor.string(map, name, parent: parent), let resolved = path(raw) else { return nil }
        if !FileManager.default.isReadableFile(atPath: resolved) {
            cursor.problem("file \(resolved) does not exist or is not readable", at: map[name], key: "\(parent).\(name)")
        }
        return resolved
    }

    // MARK: outbox

    func readOutbox(_ node: Node?) -> RetryPolicy {
        let key = "outbox"
        guard let map = cursor.mapping(node, key: key) else { return RetryPolicy() }
        cursor.rejectUnknownKeys(map, known: ["retry_initial_seconds", "retry_max_seconds", "give_up_after_hours"], key: key)
        var policy = RetryPolicy()
        if let value = cursor.int(map, "retry_initial_seconds", parent: key, range: 1...86400) { policy.initialDelay = Double(value) }
        if let value = cursor.int(map, "retry_max_seconds", parent: key, range: 1...604_800) { policy.maximumDelay = Double(value) }
        if let value = cursor.int(map, "give_up_after_hours", parent: key, range: 1...2160) { policy.giveUpAfter = Double(value) * 3600 }
        return policy
    }

    // MARK: directory

    /// Reads a separate directory file (`directory:` and optional `rules:`), reporting its
    /// problems with its own name and lines.
    func readDirectoryFile(_ raw: String, node: Node?) -> (directory: Directory, rules: [RoutingRule])? {
        guard let file = path(raw) else { return nil }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            cursor.problem("file \(file) cannot be read", at: node, key: "directory_file")
            return nil
        }
        let included = YAMLCursor(file: file)
        let reader = Reader(cursor: included, base: URL(fileURLWithPath: file).deletingLastPathComponent().path)
        defer { cursor.absorb(included.problems) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            included.problem("not valid YAML: \(error)", at: nil, key: "")
            return nil
        }
        guard let top = included.mapping(root, key: "") else { return nil }
        included.rejectUnknownKeys(top, known: ["directory", "rules"], key: "")
        let directory = reader.readDirectory(top["directory"])
        return (directory, reader.readRules(top, directory: directory))
    }

    /// Rule names must be unique, and no rule may sit behind one that stops every statement.
    func checkRuleSet(_ rules: [RoutingRule]) {
        var seen: [String: String] = [:]
        for rule in rules {
            if let first = seen[rule.name] {
                cursor.problem("rule name \(rule.name) is used twice (first at \(first))", at: nil, key: "rules")
            }
            seen[rule.name] = seen[rule.name] ?? (rule.origin ?? "?")
        }
        if let blocker = rules.firstIndex(where: { $0.stop && $0.isUnconditional }), blocker + 1 < rules.count {
            for rule in rules[(blocker + 1)...] {
                cursor.problem(
                    "rule \(rule.label) is unreachable: rule \(rules[blocker].label) matches every statement and stops",
                    at: nil, key: "rules")
            }
        }
    }

    func readDirectory(_ node: Node?) -> Directory {
        let key = "directory"
        guard let map = cursor.mapping(node, key: key) else { return Directory() }
        cursor.rejectUnknownKeys(map, known: ["areas", "groups", "bodies", "organizations", "archive", "profiles"], key: key)
        var areas: [Area] = []
        for (item, itemKey) in cursor.sequence(map, "areas", parent: key) {
            guard let area = cursor.mapping(item, key: itemKey) else { continue }
            cursor.rejectUnknownKeys(area, known: ["acronym", "name", "directors", "cc"], key: itemKey)
            guard let acronym = acronym(area, parent: itemKey) else { continue }
            if areas.contains(where: { $0.acronym == acronym }) {
                cursor.problem("area \(acronym) is defined twice", at: area["acronym"], key: "\(itemKey).acronym")
            }
            areas.append(
                Area(
                    acronym: acronym,
                    name: cursor.string(area, "name", parent: itemKey) ?? acronym.uppercased(),
                    directors: contacts(area, "directors", parent: itemKey),
                    cc: contacts(area, "cc", parent: itemKey)))
        }
        var groups: [Group] = []
        for (item, itemKey) in cursor.sequence(map, "groups", parent: key) {
            guard let group = cursor.mapping(item, key: itemKey) else { continue }
            cursor.rejectUnknownKeys(
                group,
                known: ["acronym", "name", "area", "list", "chairs", "liaison_contacts", "liaison_cc_contacts", "aliases"],
                key: itemKey)
            guard let acronym = acronym(group, parent: itemKey) else { continue }
            if groups.contains(where: { $0.acronym == acronym }) || areas.contains(where: { $0.acronym == acronym }) {
                cursor.problem("\(acronym) is defined twice", at: group["acronym"], key: "\(itemKey).acronym")
            }
            let area = cursor.string(group, "area", parent: itemKey)?.lowercased()
            if let area, !areas.contains(where: { $0.acronym == area }) {
                cursor.problem("unknown area \(area) (define it under directory.areas)", at: group["area"], key: "\(itemKey).area")
            }
            let list = contact(group, "list", parent: itemKey, required: false)
            let chairs = contact(group, "chairs", parent: itemKey, required: false)
            let liaisonContacts = contacts(group, "liaison_contacts", parent: itemKey)
            if list == nil && chairs == nil && liaisonContacts.isEmpty {
                cursor.problem("needs a list, chairs or liaison_contacts address", at: item, key: itemKey)
            }
            groups.append(
                Group(
                    acronym: acronym,
                    name: cursor.string(group, "name", parent: itemKey) ?? acronym.uppercased(),
                    area: area,
                    list: list,
                    chairs: chairs,
                    liaisonContacts: liaisonContacts,
                    liaisonCCContacts: contacts(group, "liaison_cc_contacts", parent: itemKey),
                    aliases: cursor.strings(group, "aliases", parent: itemKey).map(\.0)))
        }
        for (item, itemKey) in cursor.sequence(map, "bodies", parent: key) {
            guard let body = cursor.mapping(item, key: itemKey) else { continue }
            cursor.rejectUnknownKeys(body, known: ["acronym", "name", "to", "cc", "aliases"], key: itemKey)
            guard let acronym = acronym(body, parent: itemKey) else { continue }
            if groups.contains(where: { $0.acronym == acronym }) || areas.contains(where: { $0.acronym == acronym }) {
                cursor.problem("\(acronym) is defined twice", at: body["acronym"], key: "\(itemKey).acronym")
            }
            let to = contacts(body, "to", parent: itemKey)
            if to.isEmpty { cursor.problem("needs at least one to address", at: item, key: itemKey) }
            groups.append(
                Group(
                    acronym: acronym,
                    name: cursor.string(body, "name", parent: itemKey) ?? acronym.uppercased(),
                    liaisonContacts: to,
                    liaisonCCContacts: contacts(body, "cc", parent: itemKey),
                    aliases: cursor.strings(body, "aliases", parent: itemKey).map(\.0)))
        }
        var organizations: [Organization] = []
        for (item, itemKey) in cursor.sequence(map, "organizations", parent: key) {
            guard let org = cursor.mapping(item, key: itemKey) else { continue }
            cursor.rejectUnknownKeys(
                org, known: ["name", "aliases", "domains", "liaison_managers", "kind", "engagement_manager", "engagement_managers", "contacts"],
                key: itemKey)
            guard let name = cursor.string(org, "name", parent: itemKey, required: true) else { continue }
            let domains = cursor.strings(org, "domains", parent: itemKey)
            for (domain, node) in domains where !Reader.isDomain(domain) {
                cursor.problem("\(domain) is not a mail domain", at: node, key: "\(itemKey).domains")
            }
            var organization = Organization(
                name: name,
                aliases: cursor.strings(org, "aliases", parent: itemKey).map(\.0),
                domains: domains.map(\.0),
                liaisonManagers: contacts(org, "liaison_managers", parent: itemKey))
            // Communities without a liaison relationship (docs/engagement.md).
            if let kind = cursor.string(org, "kind", parent: itemKey) {
                if let parsed = OrganizationKind(rawValue: kind) {
                    organization.kind = parsed
                } else {
                    cursor.problem("must be peer or community", at: org["kind"], key: "\(itemKey).kind")
                }
            }
            organization.engagementManagers =
                contacts(org, "engagement_manager", parent: itemKey) + contacts(org, "engagement_managers", parent: itemKey)
            organization.contacts = contacts(org, "contacts", parent: itemKey)
            if organization.kind == .community && organization.engagementManagers.isEmpty {
                cursor.problem("a community needs an engagement_manager", at: item, key: itemKey)
            }
            if organization.kind == .peer && (!organization.engagementManagers.isEmpty || !organization.contacts.isEmpty) {
                cursor.problem(
                    "engagement_manager and contacts are for kind: community (a peer has liaison_managers)", at: item, key: itemKey)
            }
            organizations.append(organization)
        }
        var directory = Directory(
            areas: areas, groups: groups, organizations: organizations, archive: contacts(map, "archive", parent: key))
        directory.profiles = ProfileConfigurationReader(cursor: cursor, contact: { checkedContact($0, node: $1, key: $2) })
            .read(map, parent: key, organizations: organizations)
        return directory
    }

    func acronym(_ map: Node.Mapping, parent: String) -> String? {
        guard let acronym = cursor.string(map, "acronym", parent: parent, required: true) else { return nil }
        guard acronym.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            cursor.problem("must be letters, digits and hyphens", at: map["acronym"], key: "\(parent).acronym")
            return nil
        }
        return acronym.lowercased()
    }

    // MARK: rules

    func readRules(_ top: Node.Mapping, directory: Directory) -> [RoutingRule] {
        var rules: [RoutingRule] = []
        let fileName = URL(fileURLWithPath: cursor.file).lastPathComponent
        func known(_ acronym: String) -> Bool {
            directory.groups[acronym.lowercased()] != nil || directory.areas[acronym.lowercased()] != nil
        }
        for (item, key) in cursor.sequence(top, "rules", parent: "") {
            guard let rule = cursor.mapping(item, key: key) else { continue }
            cursor.rejectUnknownKeys(
                rule, known: ["name", "when", "add_groups", "to", "cc", "replace", "lead", "triage", "stop"], key: key)
            let name = cursor.string(rule, "name", parent: key, required: true) ?? key
            let whenKey = "\(key).when"
            let when = cursor.mapping(rule["when"], key: whenKey)
            if let when {
                cursor.rejectUnknownKeys(
                    when,
                    known: [
                        "to_group", "from_organization", "purpose", "title_contains", "identifier", "subject", "body",
                        "intake_address",
                    ], key: whenKey)
            }
            let toGroup = cursor.string(when, "to_group", parent: whenKey)
            if let toGroup, !known(toGroup) {
                cursor.problem("unknown group or area \(toGroup)", at: when?["to_group"], key: "\(whenKey).to_group")
            }
            let organization = cursor.string(when, "from_organization", parent: whenKey)
            if let organization, directory.organization(named: organization) == nil {
                cursor.problem(
                    "unknown organization \(organization) (define it under directory.organizations)",
                    at: when?["from_organization"], key: "\(whenKey).from_organization")
            }
            var purpose: Purpose?
            if let text = cursor.string(when, "purpose", parent: whenKey) {
                purpose = Purpose(rawValue: text)
                if purpose == nil {
                    cursor.problem("must be one of action, comment, information, response", at: when?["purpose"], key: "\(whenKey).purpose")
                }
            }
            func pattern(_ name: String) -> RoutingPattern? {
                guard let source = cursor.string(when, name, parent: whenKey) else { return nil }
                do {
                    return try RoutingPattern(source)
                } catch {
                    cursor.problem("not a valid regular expression: \(error)", at: when?[name], key: "\(whenKey).\(name)")
                    return nil
                }
            }
            let intake = cursor.string(when, "intake_address", parent: whenKey).flatMap {
                checkedContact($0, node: when?["intake_address"], key: "\(whenKey).intake_address")?.address
            }
            let groups = cursor.strings(rule, "add_groups", parent: key)
            for (group, node) in groups where !known(group) {
                cursor.problem("unknown group or area \(group)", at: node, key: "\(key).add_groups")
            }
            let lead = cursor.string(rule, "lead", parent: key)
            if let lead, !known(lead) {
                cursor.problem("unknown group or area \(lead)", at: rule["lead"], key: "\(key).lead")
            }
            let to = contacts(rule, "to", parent: key)
            let cc = contacts(rule, "cc", parent: key)
            let replace = cursor.bool(rule, "replace", parent: key) ?? false
            let triage = cursor.bool(rule, "triage", parent: key) ?? false
            let stop = cursor.bool(rule, "stop", parent: key) ?? false
            if groups.isEmpty && to.isEmpty && cc.isEmpty && lead == nil && !triage && !stop {
                cursor.problem("does nothing: give add_groups, to, cc, lead, triage or stop", at: item, key: key)
            }
            if replace && groups.isEmpty && to.isEmpty && cc.isEmpty {
                cursor.problem("replace needs add_groups, to or cc to replace the recipients with", at: rule["replace"], key: "\(key).replace")
            }
            rules.append(
                RoutingRule(
                    name: name,
                    origin: item.mark.map { "\(fileName):\($0.line)" },
                    toGroup: toGroup,
                    fromOrganization: organization,
                    purpose: purpose,
                    titleContains: cursor.string(when, "title_contains", parent: whenKey),
                    identifier: pattern("identifier"),
                    subject: pattern("subject"),
                    body: pattern("body"),
                    intakeAddress: intake,
                    addGroups: groups.map(\.0),
                    addTo: to,
                    addCc: cc,
                    replaceRecipients: replace,
                    lead: lead,
                    triage: triage,
                    stop: stop))
        }
        return rules
    }

    // MARK: values

    func contact(_ map: Node.Mapping, _ name: String, parent: String, required: Bool) -> Contact? {
        guard let text = cursor.string(map, name, parent: parent, required: required) else { return nil }
        return checkedContact(text, node: map[name], key: YAMLCursor.join(parent, name))
    }

    func contacts(_ map: Node.Mapping, _ name: String, parent: String) -> [Contact] {
        cursor.strings(map, name, parent: parent).compactMap { text, node in
            checkedContact(text, node: node, key: YAMLCursor.join(parent, name))
        }
    }

    /// One address, `Name <a@b>` or `a@b`, checked on bytes for line breaks and controls.
    func checkedContact(_ text: String, node: Node?, key: String) -> Contact? {
        if text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            cursor.problem("contains a control character or line break", at: node, key: key)
            return nil
        }
        let parsed = MailAddress.parseList(text)
        guard parsed.count == 1, let address = parsed.first, Reader.isAddress(address.address) else {
            cursor.problem("\(text) is not one mail address (Name <local@domain> or local@domain)", at: node, key: key)
            return nil
        }
        return Contact(name: address.displayName, address: address.address)
    }

    static func isAddress(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@"), at != address.startIndex else { return false }
        let domain = String(address[address.index(after: at)...])
        return isDomain(domain) && !address.utf8.contains(where: { $0 <= 0x20 || $0 == 0x3c || $0 == 0x3e || $0 == 0x7f })
    }

    static func isDomain(_ domain: String) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" }
            }
    }

    func path(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if raw.hasPrefix("/") { return raw }
        return URL(fileURLWithPath: base).appendingPathComponent(raw).standardizedFileURL.path
    }
}
