// swift-tools-version: 6.2
import PackageDescription

/// Settings shared by every target of ours: Swift 6 language mode and the upcoming features
/// that keep imports and existentials explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Liaison",
    products: [
        .executable(name: "liaison", targets: ["liaison"]),
        .executable(name: "mime-bench", targets: ["mime-bench"]),
        .library(name: "MIME", targets: ["MIME"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libcurl, with typed shims for the variadic curl_easy_setopt / curl_easy_getinfo.
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // RFC 5322 / MIME parsing and building; no package dependencies.
        .target(name: "MIME", path: "Sources/MIME", swiftSettings: strictSettings),
        .executableTarget(name: "mime-bench", dependencies: ["MIME"], path: "Sources/mime-bench", exclude: ["link-order.txt", "make-link-order.sh"], swiftSettings: strictSettings),
        // The domain: statements, extraction, routing, the intake pipeline and its ports. No I/O.
        .target(
            name: "LiaisonCore",
            dependencies: ["MIME"],
            path: "Sources/LiaisonCore",
            swiftSettings: strictSettings
        ),
        // IMAP intake and SMTP submission over libcurl.
        .target(
            name: "MailTransport",
            dependencies: [
                "CCurl", "LiaisonCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/MailTransport",
            swiftSettings: strictSettings
        ),
        // SQLite state through GRDB: WAL, synchronous=FULL, migrations.
        .target(
            name: "LiaisonStore",
            dependencies: ["LiaisonCore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/LiaisonStore",
            swiftSettings: strictSettings
        ),
        // Attachment text: .docx and .zip through ZIPFoundation (with zip-bomb limits), PDF through pdftotext.
        .target(
            name: "LiaisonDocuments",
            dependencies: ["LiaisonCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Sources/LiaisonDocuments",
            swiftSettings: strictSettings
        ),
        // Mustache templates for outgoing mail.
        .target(
            name: "LiaisonTemplates",
            dependencies: ["LiaisonCore", .product(name: "Mustache", package: "swift-mustache")],
            path: "Sources/LiaisonTemplates",
            swiftSettings: strictSettings
        ),
        // The HTTP server: /healthz, /metrics and the read-only dashboard (the only importer of Hummingbird).
        .target(
            name: "LiaisonHTTP",
            dependencies: [
                "LiaisonCore", "LiaisonStore", "LiaisonTemplates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/LiaisonHTTP",
            swiftSettings: strictSettings
        ),
        // Wiring: configuration (YAML), logging, the poll service and the commands' logic.
        .target(
            name: "LiaisonDaemon",
            dependencies: [
                "LiaisonCore", "LiaisonDocuments", "LiaisonHTTP", "LiaisonStore", "LiaisonTemplates", "MailTransport", "MIME",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/LiaisonDaemon",
            swiftSettings: strictSettings
        ),
        // The command-line tool: argument parsing only.
        .executableTarget(
            name: "liaison",
            dependencies: [
                "LiaisonDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/liaison",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MIMETests",
            dependencies: ["MIME"],
            path: "Tests/MIMETests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LiaisonCoreTests",
            dependencies: ["LiaisonCore", "MIME"],
            path: "Tests/LiaisonCoreTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LiaisonDocumentsTests",
            dependencies: ["LiaisonDocuments", "LiaisonCore", "MIME"],
            path: "Tests/LiaisonDocumentsTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MailTransportTests",
            dependencies: ["MailTransport", "LiaisonCore"],
            path: "Tests/MailTransportTests"
        ),
        .testTarget(
            name: "LiaisonStoreTests",
            dependencies: ["LiaisonStore", "LiaisonCore", "MIME"],
            path: "Tests/LiaisonStoreTests"
        ),
        .testTarget(
            name: "LiaisonDaemonTests",
            dependencies: ["LiaisonDaemon", "LiaisonCore", "LiaisonStore", "LiaisonTemplates", "MIME"],
            path: "Tests/LiaisonDaemonTests",
            // Read from the source tree (#filePath), not bundled.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LiaisonHTTPTests",
            dependencies: [
                "LiaisonHTTP", "LiaisonCore", "LiaisonStore", "LiaisonTemplates", "MIME",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/LiaisonHTTPTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["LiaisonDaemon", "LiaisonCore", "LiaisonStore", "MailTransport", "MIME"],
            path: "Tests/IntegrationTests"
        ),
    ]
)
