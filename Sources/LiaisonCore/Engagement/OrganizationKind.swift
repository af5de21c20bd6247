import Foundation
/// Whether an organization of the directory has a liaison relationship with the IETF.
public enum OrganizationKind: String, Sendable, Equatable, CaseIterable {
    /// A standards body with a liaison relationship and liaison managers (the default).
    case peer
    /// A community without one (operator groups, user groups, open-source projects, regulators,
    /// civil society), with an engagement manager instead.
    case community
}

extension Directory {
    /// The organizations of kind ``OrganizationKind/community``, in configuration order.
    public var communities: [Organization] { organizations.filter { $0.kind == .community } }

    /// The community with this name or alias (case-insensitive), if any.
    public func community(named name: String) -> Organization? {
        organization(named: name).flatMap { $0.kind == .community ? $0 : nil }
    }

    /// Every engagement manager address of every community, lowercased.
    public var engagementManagerAddresses: Set<String> {
        Set(communities.flatMap(\.engagementManagers).map { $0.address.lowercased() })
    }
}
