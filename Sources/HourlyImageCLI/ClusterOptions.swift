import ArgumentParser
import Foundation
import HourlyImageAPI
import KubeClient

/// How to reach the cluster: kubeconfig, context, namespace.
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: "kubeconfig file; default $KUBECONFIG, in-cluster config, or ~/.kube/config (HOURLY_IMAGE_KUBECONFIG).")
    var kubeconfigFlag: String?

    /// The flag, else `HOURLY_IMAGE_KUBECONFIG`.
    var kubeconfig: String? { kubeconfigFlag ?? Env.value("KUBECONFIG") }

    @Option(name: .customLong("context"), help: "kubeconfig context; default the current context (HOURLY_IMAGE_CONTEXT).")
    var contextFlag: String?

    /// The flag, else `HOURLY_IMAGE_CONTEXT`.
    var context: String? { contextFlag ?? Env.value("CONTEXT") }

    /// The resolved connection; a broken configuration is an error naming what is wrong.
    func connection() throws -> ClusterConnection {
        do {
            return try KubeConfig.load(kubeconfig: kubeconfig, context: context)
        } catch {
            FileHandle.standardError.write(Data("hourly-image: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// The pod's identity, from the downward API, for Events and the Lease.
enum PodIdentity {
    /// `POD_NAME`, else the host name.
    static var name: String { ProcessInfo.processInfo.environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName }
    /// `POD_NAMESPACE`, if set.
    static var namespace: String? { ProcessInfo.processInfo.environment["POD_NAMESPACE"] }
}

/// Parses `15s`-style durations for flags.
struct DurationFlag: ExpressibleByArgument {
    let seconds: Double

    init?(argument: String) {
        guard let parsed = try? HourlyImageAPI.Duration(parsing: argument), parsed.seconds > 0 else { return nil }
        seconds = parsed.seconds
    }

    init(seconds: Double) { self.seconds = seconds }

    /// `15s` in `--help`, as the flag is written.
    var defaultValueDescription: String { HourlyImageAPI.Duration(seconds: seconds).text }
}
