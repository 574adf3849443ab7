// swift-tools-version:6.1
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The commit the binary is built from, for `hourly-image version`: `$HOURLY_IMAGE_BUILD_COMMIT` (the Dockerfile's
/// build argument, the Makefile's `git rev-parse`), else this checkout's (`-dirty` with uncommitted changes), else
/// `unknown` (no git, as in the Docker build context). Only `[0-9A-Za-z._+-]`, so it is safe in a C string literal.
/// SwiftPM caches the evaluated manifest and does not re-read git on each build, so the checkout fallback can lag
/// behind new commits; a changed `$HOURLY_IMAGE_BUILD_COMMIT` does re-evaluate it, which is why `make` sets it.
let buildCommit: String = {
    let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+-")
    var commit = Context.environment["HOURLY_IMAGE_BUILD_COMMIT"] ?? ""
    if commit.isEmpty, let git = Context.gitInformation {
        commit = String(git.currentCommit.prefix(12)) + (git.hasUncommittedChanges ? "-dirty" : "")
    }
    return !commit.isEmpty && commit.count <= 64 && commit.allSatisfy(allowed.contains) ? commit : "unknown"
}()

let package = Package(
    name: "hourly-image",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hourly-image", targets: ["HourlyImageCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        // Already in the graph through Hummingbird; named for the web server's connection limits (channel handlers).
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
    ],
    targets: [
        // The git commit of the build, compiled in as a C string (see `buildCommit`).
        .target(name: "CBuildInfo", cSettings: [.define("HOURLY_IMAGE_BUILD_COMMIT", to: "\"\(buildCommit)\"")]),
        // Kubernetes meta types any object shares: ObjectMeta and RFC 3339 timestamps.
        .target(name: "KubeMeta", swiftSettings: swiftSettings),
        // Shared building blocks: the retry backoff, a broadcaster, blocking work off the concurrency pool, durable file replacement.
        .target(name: "SystemSupport", swiftSettings: swiftSettings),
        // The HourlyImage API types: spec, status, conditions, durations, validation.
        .target(name: "HourlyImageAPI", dependencies: ["CBuildInfo", "KubeMeta"], swiftSettings: swiftSettings),
        // The pure lifecycle core: decides what to do from (resource, blobs, now).
        .target(name: "HourlyImageCore", dependencies: ["HourlyImageAPI", "SystemSupport"], swiftSettings: swiftSettings),
        // libcurl, the only outbound HTTP stack, with typed wrappers for its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // What both HTTP uses of libcurl share: global init, handles, common options, transfer info.
        .target(name: "CurlSupport", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // Content-addressed, crash-safe image files on the volume.
        .target(
            name: "BlobStore",
            dependencies: ["SystemSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Image downloads over libcurl: redirects, limits, address policy, magic bytes.
        .target(
            name: "ImageFetch",
            dependencies: [
                "CCurl", "CurlSupport", "BlobStore", "HourlyImageAPI", "HourlyImageCore", "HourlyImageStore", "SystemSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ports the controller and the web act through: the resource store, the event recorder, the image source.
        .target(
            name: "HourlyImageStore",
            dependencies: ["HourlyImageAPI", "HourlyImageCore"],
            swiftSettings: swiftSettings
        ),
        // Standalone mode's store: resources from YAML files, status persisted in the data directory.
        .target(
            name: "LocalStore",
            dependencies: [
                "HourlyImageAPI", "HourlyImageCore", "HourlyImageStore", "SystemSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Prometheus helpers shared by the controller and the web: `process_*` metrics from /proc/self, descriptors, the /metrics route.
        .target(
            name: "HourlyImageMetrics",
            dependencies: [.product(name: "Prometheus", package: "swift-prometheus"), .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        // The reconcile loop: work queue, reconciler acting on the core's decisions.
        .target(
            name: "HourlyImageController",
            dependencies: [
                "KubeMeta", "HourlyImageAPI", "HourlyImageCore", "HourlyImageStore", "BlobStore", "HourlyImageMetrics", "SystemSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The page, image bytes, JSON status, health and metrics (Hummingbird 2).
        .target(
            name: "WebRenderer",
            dependencies: [
                "HourlyImageAPI", "HourlyImageCore", "HourlyImageStore", "BlobStore", "HourlyImageMetrics", "SystemSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Kubernetes API over libcurl: kubeconfig and in-cluster config, typed calls, watch, reflector.
        .target(
            name: "KubeClient",
            dependencies: [
                "CCurl", "CurlSupport", "KubeMeta", "SystemSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Leader election over a coordination.k8s.io Lease.
        .target(
            name: "LeaderElection",
            dependencies: ["KubeClient", "KubeMeta", "SystemSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The resource store, events and the controller's probes over the Kubernetes API.
        .target(
            name: "KubeStore",
            dependencies: [
                "KubeClient", "KubeMeta", "HourlyImageAPI", "HourlyImageCore", "HourlyImageStore", "LeaderElection", "HourlyImageMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The app wired once, for the CLI and the end-to-end tests alike.
        .target(
            name: "HourlyImageApp",
            dependencies: [
                "HourlyImageAPI", "HourlyImageController", "BlobStore", "ImageFetch", "KubeClient", "KubeStore", "LeaderElection",
                "LocalStore", "WebRenderer", "HourlyImageMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `hourly-image` executable.
        .executableTarget(
            name: "HourlyImageCLI",
            dependencies: [
                // The App builds every part; the CLI turns flags into its settings (fetch options, cluster
                // connection, resource files, listen addresses).
                "HourlyImageApp", "HourlyImageAPI", "ImageFetch", "KubeClient", "KubeStore", "LocalStore", "WebRenderer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The tests, their helpers and the benchmarks, declared only when Tests/ is there: a clone has it, the Docker
// build context does not (the Dockerfile copies Package.swift and Sources/ only), so the image's build resolves
// and compiles the product alone. Test-only code (the test API server, the loopback servers) lives in the local
// package Tests/TestKit, outside the product's package.
if FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests") {
    package.dependencies.append(.package(path: "Tests/TestKit"))
    let testSupport = Target.Dependency.product(name: "TestSupport", package: "TestKit")
    let kubeTestServer = Target.Dependency.product(name: "KubeTestServer", package: "TestKit")
    package.targets += [
        .testTarget(
            name: "KubeTestServerTests",
            dependencies: [kubeTestServer, "HourlyImageCore", testSupport, "CCurl", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Publishes blobs in a loop so tests can SIGKILL it mid-write.
        .executableTarget(
            name: "BlobCrashDriver",
            dependencies: ["BlobStore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/BlobCrashDriver",
            swiftSettings: swiftSettings
        ),
        // Benchmarks (`make bench`), reported in docs/benchmarks.md.
        .executableTarget(
            name: "fetch-bench",
            dependencies: ["ImageFetch", "BlobStore", .product(name: "Logging", package: "swift-log")],
            path: "bench/FetchBench"
        ),
        // Hummingbird serving fixed bytes: the framework's ceiling, beside hourly-image in the page benchmark.
        .executableTarget(
            name: "hello-bench",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "bench/HelloBench"
        ),
        .testTarget(
            name: "HourlyImageAPITests",
            dependencies: ["HourlyImageAPI", testSupport, .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "LeaderElectionTests", dependencies: ["LeaderElection", "KubeClient", "KubeMeta"], swiftSettings: swiftSettings),
        .testTarget(name: "HourlyImageCoreTests", dependencies: ["HourlyImageCore", "SystemSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ImageFetchTests",
            dependencies: ["ImageFetch", "BlobStore", "HourlyImageAPI", testSupport, .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LocalStoreTests",
            dependencies: ["LocalStore", "HourlyImageStore", "HourlyImageAPI"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControllerTests",
            dependencies: [
                "HourlyImageController", "HourlyImageCore", "SystemSupport", "LocalStore", "HourlyImageStore", "HourlyImageAPI", "BlobStore", "ImageFetch",
                testSupport, .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebRendererTests",
            dependencies: [
                "WebRenderer", "LocalStore", "HourlyImageStore", "HourlyImageAPI", "HourlyImageCore", "BlobStore", testSupport, "HourlyImageMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["HourlyImageCLI", testSupport, "HourlyImageAPI"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HourlyImageCLITests",
            dependencies: ["HourlyImageCLI", .product(name: "Logging", package: "swift-log"), .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubeClientTests",
            dependencies: ["KubeClient", "KubeMeta", "HourlyImageAPI", testSupport, kubeTestServer],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OperatorTests",
            dependencies: [
                "HourlyImageApp", "KubeStore", "KubeClient", "LeaderElection", kubeTestServer, "HourlyImageController", "HourlyImageStore", "HourlyImageAPI",
                "BlobStore", "ImageFetch", testSupport, "WebRenderer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: [
                "HourlyImageCLI", "KubeStore", "WebRenderer", "HourlyImageAPI", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BlobStoreTests",
            dependencies: ["BlobStore", "BlobCrashDriver", testSupport, .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
    ]
}
