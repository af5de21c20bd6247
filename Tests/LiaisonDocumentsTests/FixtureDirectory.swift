import LiaisonCore

/// The directory the statement fixtures are read with: the IETF groups, areas and peer
/// organizations they name, with the IETF's real role-address patterns.
let fixtureDirectory = Directory(
    areas: [
        Area(acronym: "ops", name: "Operations and Management", directors: [Contact(name: "Operations ADs", address: "ops-ads@ietf.org")]),
        Area(acronym: "rtg", name: "Routing", directors: [Contact(name: "Routing ADs", address: "rtg-ads@ietf.org")]),
        Area(acronym: "int", name: "Internet", directors: [Contact(name: "Internet ADs", address: "int-ads@ietf.org")]),
        Area(acronym: "wit", name: "Web and Internet Transport", directors: [Contact(name: "WIT ADs", address: "wit-ads@ietf.org")]),
        Area(acronym: "sec", name: "Security", directors: [Contact(name: "Security ADs", address: "sec-ads@ietf.org")]),
    ],
    groups: [
        fixtureGroup("ccamp", "Common Control and Measurement Plane", "rtg", aliases: ["IETF CCAMP WG"]),
        fixtureGroup("mpls", "Multiprotocol Label Switching", "rtg"),
        fixtureGroup("teas", "Traffic Engineering Architecture and Signaling", "rtg"),
        fixtureGroup("rtgwg", "Routing Area Working Group", "rtg"),
        fixtureGroup("detnet", "Deterministic Networking", "rtg"),
        fixtureGroup("dmm", "Distributed Mobility Management", "int"),
        fixtureGroup("netmod", "Network Modeling", "ops"),
        fixtureGroup("opsawg", "Operations and Management Area Working Group", "ops"),
        fixtureGroup("ippm", "IP Performance Measurement", "ops"),
        fixtureGroup("tsvwg", "Transport and Services Working Group", "wit"),
        fixtureGroup("emu", "EAP Method Update", "sec"),
        fixtureGroup("httpapi", "Building Blocks for HTTP APIs", "wit"),
        Group(
            acronym: "iab", name: "Internet Architecture Board",
            list: Contact(name: "The IAB", address: "iab@iab.org"),
            chairs: Contact(name: "The IAB Chair", address: "iab-chair@iab.org"), aliases: ["IAB"]),
        Group(
            acronym: "iesg", name: "Internet Engineering Steering Group",
            list: Contact(name: "The IESG", address: "iesg@ietf.org"),
            chairs: Contact(name: "The IETF Chair", address: "chair@ietf.org"), aliases: ["IETF", "IESG"]),
    ],
    organizations: [
        Organization(
            name: "ITU-T",
            aliases: ["ITU-T SG15", "ITU-T Study Group 15", "Study Group 15", "ITU-T SG13", "ITU-T SG17", "ITU-T SG11", "ITU-T-SG-15"],
            domains: ["itu.int"], liaisonManagers: [Contact(name: "IETF liaison to ITU-T", address: "itu-t-liaison@iab.org")]),
        Organization(
            name: "3GPP", aliases: ["3GPP TSG SA", "3GPP TSG CT", "3GPP CT4", "3GPP SA2", "3GPP-TSGCT-CT4", "3GPP-TSG-SA"],
            domains: ["3gpp.org", "etsi.org"], liaisonManagers: [Contact(name: "IETF liaison to 3GPP", address: "3gpp-liaison@iab.org")]),
        Organization(
            name: "Broadband Forum", aliases: ["BBF", "BROADBAND-FORUM"], domains: ["broadband-forum.org"],
            liaisonManagers: [Contact(name: "IETF liaison to BBF", address: "bbf-liaison@ietf.org")]),
        Organization(
            name: "IEEE 802", aliases: ["IEEE 802.1", "IEEE 802.1 Working Group", "IEEE 802.11", "IEEE 802.11 Working Group"],
            domains: ["ieee.org"], liaisonManagers: [Contact(name: "IETF liaison to IEEE 802", address: "ieee-liaison@iab.org")]),
    ]
)

func fixtureGroup(_ acronym: String, _ name: String, _ area: String, aliases: [String] = []) -> Group {
    Group(
        acronym: acronym, name: name, area: area,
        list: Contact(name: "\(name) Discussion List", address: "\(acronym)@ietf.org"),
        chairs: Contact(name: "\(acronym.uppercased()) Chairs", address: "\(acronym)-chairs@ietf.org"),
        aliases: aliases)
}
