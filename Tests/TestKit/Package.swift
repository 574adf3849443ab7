// swift-tools-version:6.1
import PackageDescription

// Test-only code, kept out of the product's package: the in-process Kubernetes API server and the loopback
// HTTP servers and client the tests use. The root package's test targets depend on it (only when Tests/ is
// present, which is never the case in the Docker build). Versions are ranges here: the root package pins them.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "TestKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "KubeTestServer", targets: ["KubeTestServer"]),
        .library(name: "TestSupport", targets: ["TestSupport"]),
        .executable(name: "kube-test-server", targets: ["kube-test-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // A loopback HTTP server that misbehaves on request, Picsum-like routes, and a small HTTP client.
        .target(name: "TestSupport", swiftSettings: swiftSettings),
        // An in-process Kubernetes API server (hourlyimages, Events, Leases) over HTTP or HTTPS.
        .target(
            name: "KubeTestServer",
            dependencies: [
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/openapi-v3-meta.json")],
            swiftSettings: swiftSettings
        ),
        // `kube-test-server`: the test API server on 127.0.0.1 with a kubeconfig, for kubectl.
        .executableTarget(name: "kube-test-server", dependencies: ["KubeTestServer"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
