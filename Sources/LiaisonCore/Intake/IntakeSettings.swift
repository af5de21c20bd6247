import Foundation

/// How the intake pipeline records statements and what it sends.
public struct IntakeSettings: Sendable {
    /// The address everything Liaison sends comes from (e.g. `Liaison Statements <statements@example.org>`).
    public var serviceAddress: Contact
    /// Receives statements that need triage and notices about quarantined messages.
    public var liaisonManager: Contact
    /// The reference prefix, `LS` by default.
    public var referencePrefix: String
    /// The time zone in which the reference year and dates are counted.
    public var timeZone: TimeZone
    /// The domain part of generated Message-IDs.
    public var messageIDDomain: String
    /// Identifies this installation in the `X-Liaison-Loop` header, to recognise our own mail coming back.
    public var instanceID: String
    /// The folder processed messages move to.
    public var processedFolder: String
    /// The folder messages that cannot be handled move to.
    public var quarantineFolder: String
    /// Addresses of ours that must never be answered (the service address is always included).
    public var ownAddresses: [String]
    /// Whether acknowledgements are sent at all.
    public var sendsAcknowledgements: Bool
    /// At most this many acknowledgements to one address in 24 hours (RFC 3834 §2: rate-limit
    /// automatic responses); a flood of forged mail cannot turn Liaison into a spam source.
    public var acknowledgementsPerSenderPerDay: Int
    /// When set, a statement counts as from its sender only with a passing, trusted
    /// `Authentication-Results`; others are recorded as unverified and go to triage. `nil`: every
    /// sender is taken at its word (no verification configured).
    public var senderAuthentication: SenderAuthenticationPolicy? = nil
    /// Where engagement managers send invitations to comment (`service.invitation_address`,
    /// delivered to the intake mailbox); `nil`: no invitations (docs/engagement.md).
    public var invitationAddress: String? = nil
    /// Where submitters mail draft statements for the IETF to send (`service.submission_address`),
    /// delivered to the intake mailbox; `nil`: outgoing statements are off.
    public var submissionAddress: Contact? = nil

    /// Creates settings.
    public init(
        serviceAddress: Contact,
        liaisonManager: Contact,
        referencePrefix: String = "LS",
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
        messageIDDomain: String? = nil,
        instanceID: String = "liaison",
        processedFolder: String = "Processed",
        quarantineFolder: String = "Quarantine",
        ownAddresses: [String] = [],
        sendsAcknowledgements: Bool = true,
        acknowledgementsPerSenderPerDay: Int = 10
    ) {
        self.serviceAddress = serviceAddress
        self.liaisonManager = liaisonManager
        self.referencePrefix = referencePrefix
        self.timeZone = timeZone
        self.messageIDDomain = messageIDDomain ?? serviceAddress.domain ?? "liaison.invalid"
        self.instanceID = instanceID
        self.processedFolder = processedFolder
        self.quarantineFolder = quarantineFolder
        self.ownAddresses = ownAddresses
        self.sendsAcknowledgements = sendsAcknowledgements
        self.acknowledgementsPerSenderPerDay = acknowledgementsPerSenderPerDay
    }

    /// Every address of ours, lowercased.
    var allOwnAddresses: Set<String> {
        Set(([serviceAddress.address] + ownAddresses).map { $0.lowercased() })
    }

    /// The year of `date` in the configured time zone.
    func year(of date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.component(.year, from: date)
    }
}
