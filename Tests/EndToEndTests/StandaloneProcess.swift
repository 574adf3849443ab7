import Foundation
import TestSupport
import Testing

/// The port in the `url` a log line with `message` names, in text or JSON logs.
func loggedPort(_ log: String, message: String) -> Int? {
    for line in log.split(separator: "\n") where line.contains(message) {
        if let match = line.firstMatch(of: /(?:url=|"url":")http:\/\/127\.0\.0\.1:(\d+)\//) { return Int(match.1) }
    }
    return nil
}

/// A running `hourly-image standalone` process, its log, and the ports it serves on.
final class StandaloneProcess: Sendable {
    let process: Subprocess
    /// The public port: the page and image bytes.
    let port: Int
    /// The admin port: metrics, the JSON status, probes.
    let adminPort: Int

    /// Starts the binary with `--port 0 --admin-port 0` and waits until it logs both addresses it serves on.
    init(arguments: [String]) async throws {
        let binary = productsDirectory().appendingPathComponent("hourly-image")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build hourly-image first (\(binary.path))")
        let process = try Subprocess(binary.path, ["standalone", "--port", "0", "--admin-port", "0", "--bind", "127.0.0.1"] + arguments)
        self.process = process
        var port: Int?
        var adminPort: Int?
        _ = await pollUntil(timeout: .seconds(15), every: .milliseconds(20)) {
            let log = String(decoding: process.errors, as: UTF8.self)
            port = loggedPort(log, message: "serving the page")
            adminPort = loggedPort(log, message: "serving the admin endpoints")
            return (port != nil && adminPort != nil) || !process.isRunning
        }
        self.port = try #require(port, "the page did not start; log:\n\(String(decoding: process.errors, as: UTF8.self))")
        self.adminPort = try #require(adminPort, "the admin port did not start; log:\n\(String(decoding: process.errors, as: UTF8.self))")
    }

    /// Everything the process wrote to standard error so far.
    var output: String { String(decoding: process.errors, as: UTF8.self) }

    /// The base URL of the page.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The base URL of the admin endpoints.
    var adminURL: String { "http://127.0.0.1:\(adminPort)" }

    /// Sends a signal and waits up to `timeout` seconds for the process to exit.
    func stop(signal: Int32, timeout: Double = 10) async throws -> Subprocess.Exit {
        process.signal(signal)
        return try #require(await process.wait(timeout: .seconds(timeout)), "did not exit within \(timeout) s after signal \(signal)")
    }
}

/// What a standalone end-to-end test runs against: a Picsum-like origin and a temporary directory holding one
/// `default/project-image` file fetching from the origin's `/1200`; both go away with it.
final class StandaloneSite {
    let picsum: PicsumLikeServer
    let dir: String
    /// `-f <the file> --data <dir>/data --allow-private-networks`.
    let arguments: [String]

    /// `spec` is the rest of the spec's flow mapping after `url`, such as `ttl: 1h, graceCount: 3`.
    init(_ label: String, spec: String) throws {
        picsum = try PicsumLikeServer()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hourly-image-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: project-image, namespace: default}
            spec: {url: "\(picsum.baseURL)/1200", \(spec)}
            """.write(toFile: dir + "/image.yaml", atomically: true, encoding: .utf8)
        arguments = ["-f", dir + "/image.yaml", "--data", dir + "/data", "--allow-private-networks"]
    }

    /// Images the origin has handed out (each `/1200` is a new one).
    var downloads: Int { picsum.server.requests.filter { $0.path == "/1200" }.count }

    deinit {
        picsum.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
