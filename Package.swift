// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "hourly-image",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hourly-image", targets: ["HourlyImageCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The HourlyImage API types: spec, status, conditions, durations, validation.
        .target(name: "HourlyImageAPI", swiftSettings: swiftSettings),
        // The pure lifecycle core: decides what to do from (resource, blobs, now).
        .target(name: "HourlyImageCore", dependencies: ["HourlyImageAPI"], swiftSettings: swiftSettings),
        // libcurl, the only outbound HTTP stack, with typed wrappers for its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Content-addressed, crash-safe image files on the volume.
        .target(
            name: "BlobStore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Image downloads over libcurl: redirects, limits, address policy, magic bytes.
        .target(
            name: "ImageFetch",
            dependencies: [
                "CCurl", "BlobStore", "HourlyImageAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `hourly-image` executable.
        .executableTarget(
            name: "HourlyImageCLI",
            dependencies: [
                "HourlyImageAPI", "HourlyImageCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test support: a loopback HTTP server that misbehaves on request, Picsum-like routes.
        .target(name: "TestSupport", swiftSettings: swiftSettings),
        // Publishes blobs in a loop so tests can SIGKILL it mid-write.
        .executableTarget(
            name: "BlobCrashDriver",
            dependencies: ["BlobStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HourlyImageAPITests",
            dependencies: ["HourlyImageAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HourlyImageCoreTests", dependencies: ["HourlyImageCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ImageFetchTests",
            dependencies: ["ImageFetch", "BlobStore", "HourlyImageAPI", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BlobStoreTests",
            dependencies: ["BlobStore", "BlobCrashDriver", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
