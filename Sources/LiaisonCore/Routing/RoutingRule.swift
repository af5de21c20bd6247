/// A configured routing rule: when all its conditions hold, its actions apply.
///
/// Rules are evaluated in configuration order and every matching rule applies (all-match); a
/// matching rule with ``stop`` ends the evaluation, so a list of `stop` rules behaves first-match.
/// A rule with no condition matches every statement.
public struct RoutingRule: Sendable {
    /// The rule's name, shown in routing explanations.
    public var name: String
    /// Where the rule is written, e.g. `liaison.yaml:57`, shown in routing explanations.
    public var origin: String?

    // MARK: Conditions

    /// Matches when the statement is addressed to this group or area acronym.
    public var toGroup: String?
    /// Matches when the sending organization has this name.
    public var fromOrganization: String?
    /// Matches when the statement has this purpose.
    public var purpose: Purpose?
    /// Matches when the title contains this text (case-insensitive).
    public var titleContains: String?
    /// Matches when one of the statement's identifiers matches this expression.
    public var identifier: RoutingPattern?
    /// Matches when the mail's subject matches this expression.
    public var subject: RoutingPattern?
    /// Matches when the statement's body matches this expression.
    public var body: RoutingPattern?
    /// Matches when the mail was delivered to this address (e.g. `statements+tsvwg@ietf.org`).
    public var intakeAddress: String?

    // MARK: Actions

    /// Groups or areas to route to as well, by acronym.
    public var addGroups: [String]
    /// Recipients to add in `To`.
    public var addTo: [Contact]
    /// Recipients to add in `Cc`.
    public var addCc: [Contact]
    /// Drops the recipients chosen so far (defaults and earlier rules) before adding this rule's.
    public var replaceRecipients: Bool
    /// Names the lead group among several addressed ones.
    public var lead: String?
    /// Sends the statement to the liaison manager for triage.
    public var triage: Bool
    /// Ends the evaluation of rules when this one matches.
    public var stop: Bool

    /// Creates a rule.
    public init(
        name: String,
        origin: String? = nil,
        toGroup: String? = nil,
        fromOrganization: String? = nil,
        purpose: Purpose? = nil,
        titleContains: String? = nil,
        identifier: RoutingPattern? = nil,
        subject: RoutingPattern? = nil,
        body: RoutingPattern? = nil,
        intakeAddress: String? = nil,
        addGroups: [String] = [],
        addTo: [Contact] = [],
        addCc: [Contact] = [],
        replaceRecipients: Bool = false,
        lead: String? = nil,
        triage: Bool = false,
        stop: Bool = false
    ) {
        self.name = name
        self.origin = origin
        self.toGroup = toGroup?.lowercased()
        self.fromOrganization = fromOrganization
        self.purpose = purpose
        self.titleContains = titleContains
        self.identifier = identifier
        self.subject = subject
        self.body = body
        self.intakeAddress = intakeAddress?.lowercased()
        self.addGroups = addGroups.map { $0.lowercased() }
        self.addTo = addTo
        self.addCc = addCc
        self.replaceRecipients = replaceRecipients
        self.lead = lead?.lowercased()
        self.triage = triage
        self.stop = stop
    }

    /// Whether the rule has no condition, so it matches every statement.
    public var isUnconditional: Bool {
        toGroup == nil && fromOrganization == nil && purpose == nil && titleContains == nil && identifier == nil
            && subject == nil && body == nil && intakeAddress == nil
    }

    /// `name (file:line)` for explanations.
    public var label: String {
        origin.map { "\(name) (\($0))" } ?? name
    }

    /// Whether the rule applies to a statement received in `context`.
    public func matches(_ statement: Statement, context: RoutingContext = RoutingContext()) -> Bool {
        if let toGroup, !statement.toGroups.contains(where: { $0.lowercased() == toGroup }) { return false }
        if let fromOrganization, statement.fromOrganization?.lowercased() != fromOrganization.lowercased() {
            return false
        }
        if let purpose, statement.purpose != purpose { return false }
        if let titleContains {
            guard let title = statement.title, title.lowercased().contains(titleContains.lowercased()) else {
                return false
            }
        }
        if let identifier, !statement.identifiers.contains(where: identifier.matches) { return false }
        if let subject, !subject.matches(context.subject ?? "") { return false }
        if let body, !body.matches(statement.body) { return false }
        if let intakeAddress, !context.intakeAddresses.contains(where: { $0.lowercased() == intakeAddress }) { return false }
        return true
    }
}

/// A case-insensitive regular expression used by a rule, kept with its source text.
///
/// `@unchecked Sendable`: the compiled `Regex` is an immutable value that is only matched
/// against; it is not `Sendable` merely because its output type (`AnyRegexOutput`) is not.
public struct RoutingPattern: @unchecked Sendable, CustomStringConvertible {
    /// The expression as written in the configuration.
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `source`.
    ///
    /// - Throws: the compiler's error when `source` is not a valid expression.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source).ignoresCase()
    }

    /// Whether the expression matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        text.contains(regex)
    }

    public var description: String { source }
}

/// What routing knows about the mail beyond the statement: where it was delivered and its subject.
public struct RoutingContext: Sendable, Equatable {
    /// The addresses the mail was delivered to (`Delivered-To`, `X-Original-To`, `To`, `Cc`).
    public var intakeAddresses: [String]
    /// The mail's subject.
    public var subject: String?

    /// Creates a context.
    public init(intakeAddresses: [String] = [], subject: String? = nil) {
        self.intakeAddresses = intakeAddresses
        self.subject = subject
    }
}
