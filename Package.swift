// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "bearing",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bearing", targets: ["bearing"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.50.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        // Already the drivers': bulk imports bind below SQLKit (Persistence/Stores/BulkRows.swift).
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.12.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        // Already Vapor's: its callback parser lets uploads stream to disk (App/Web/UploadedFile.swift).
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        // Already Vapor's: the SMTP client for alerts (App/Services/Delivery/SMTPClient.swift); the mirror has no SMTP library.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        // Typed ids (Domain/Identifiers.swift): a user's id cannot be passed where an operation's is meant.
        .package(url: "https://github.com/pointfreeco/swift-tagged.git", from: "0.10.0"),
        // HSDS tables travel as a ZIP of CSV files, and KoBo's exports are XLSX (a ZIP).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        // /metrics in Prometheus's text format: counters and gauges kept by the server's own registry.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        // Tests only: views compared with recorded HTML (Tests/ViewsTests/__Snapshots__).
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.0"),
    ],
    targets: [
        // Pure Swift: entities, rules, access policy, audit chain. No Vapor, no database.
        .target(
            name: "Domain",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Tagged", package: "swift-tagged"),
            ],
            swiftSettings: swiftSettings
        ),
        // Pure Swift geometry: projection, simplification, point-in-polygon, validation, SVG maps.
        .target(name: "Geo", swiftSettings: swiftSettings),
        // Pure Swift readers and writers for the field's formats (GeoJSON, COD-AB boundaries).
        .target(
            name: "Interop",
            dependencies: ["Domain", "Geo", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings),
        // Pages as Model + View pairs and their components, the catalogue of UI strings, and SiteURL:
        // pure functions from plain structs to escaped HTML. No Vapor, no database.
        .target(
            name: "Views",
            dependencies: ["Domain", "Geo", .product(name: "Tagged", package: "swift-tagged")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings),
        // SQLiteNIO's embedded SQLite, declared for one prepared statement reused (Persistence/Stores/BulkRows.swift).
        .target(name: "CSQLiteBulk"),
        // Records, migrations and stores: FluentKit + SQLKit, and the two drivers for bulk writes only.
        .target(
            name: "Persistence",
            dependencies: [
                "Domain", "Geo",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                "CSQLiteBulk",
            ],
            swiftSettings: swiftSettings
        ),
        // The web app: configuration, routes, controllers, middleware, views, CLI commands.
        .target(
            name: "App",
            dependencies: [
                "Domain", "Geo", "Interop", "Persistence", "Views",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bearing", dependencies: ["App", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings),
        .target(name: "TestFiles", path: "Tests/TestFiles", swiftSettings: swiftSettings),
        // The store tests' database: a fresh SQLite file or the CI PostgreSQL, migrated with FluentKit. No Vapor.
        .target(
            name: "StoreTestSupport",
            dependencies: [
                "Domain", "Persistence",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            path: "Tests/StoreTestSupport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "App", "StoreTestSupport", "TestFiles",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DomainTests", dependencies: ["Domain", .product(name: "Tagged", package: "swift-tagged")],
            swiftSettings: swiftSettings),
        .testTarget(name: "GeoTests", dependencies: ["Geo", "TestFiles"], swiftSettings: swiftSettings),
        .testTarget(
            name: "InteropTests", dependencies: ["Interop", "TestFiles", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ViewsTests",
            dependencies: [
                "Views", "Domain", "Geo", .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: ["StoreTestSupport", "Persistence", "Domain", "Geo", "Interop", "TestFiles"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "TestSupport", "App", "Domain", "Interop", "Persistence",
                .product(name: "VaporTesting", package: "vapor"), .product(name: "CSV", package: "CSV.swift"),
            ], swiftSettings: swiftSettings),
    ]
)
