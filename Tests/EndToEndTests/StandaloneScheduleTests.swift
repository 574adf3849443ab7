import Foundation
import HourlyImageAPI
import TestSupport
import Testing

@Suite("hourly-image standalone: spec.schedule, the real binary", .serialized)
struct StandaloneScheduleTests {
    @Test("a scheduled resource expires on a wall-clock minute boundary with the next image prefetched; a bad zone is InvalidSpec")
    func scheduled() async throws {
        let site = try StandaloneSite("schedule", spec: "graceCount: 0, schedule: \"* * * * *\", timeZone: Asia/Kolkata, leadTime: 59s")
        let (dir, arguments) = (site.dir, site.arguments)
        let server = try await StandaloneProcess(arguments: arguments)
        var pending: Any?
        _ = try await pollUntil(timeout: .seconds(20)) { pending = try await status(server)["pending"]; return pending != nil }
        let current = try #require(try await status(server)["current"] as? [String: Any])
        let expires = try #require((current["expiresAt"] as? String).flatMap { Timestamp(rfc3339: $0) })
        #expect(expires.secondsSince1970 % 60 == 0, "Kolkata is UTC+5:30: a minute boundary either way, \(expires)")
        #expect(pending != nil, "prefetched a lead time (59 s) ahead")
        _ = try await server.stop(signal: SIGTERM)

        // A file with an unknown zone is refused at start, naming the file, the field and the value.
        try """
            apiVersion: images.dwk.dev/v1alpha1
            kind: HourlyImage
            metadata: {name: nowhere}
            spec: {schedule: "@hourly", timeZone: Mars/Olympus}
            """.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let run = try await runToExit(["-f", dir + "/bad.yaml", "--data", dir + "/data2", "--port", "0", "--admin-port", "0"])
        #expect(run.status == 2)
        #expect(run.output.contains("spec.timeZone: \"Mars/Olympus\" is not a time zone"), "\(run.output)")
    }
}
