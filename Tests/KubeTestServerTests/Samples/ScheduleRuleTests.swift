import Foundation
@testable import KubeTestServer
import Testing

@Suite("spec.schedule's rules in the repository's CRD", .serialized)
struct ScheduleRuleTests {
    @Test("the CRD refuses a malformed schedule, time zone or lead time and accepts good ones", arguments: [
        (#"{"schedule":"every hour"}"#, "schedule must be @hourly"),
        (#"{"schedule":"61"}"#, "schedule must be @hourly"),
        (#"{"schedule":"@hourly","timeZone":"Europe/Hel sinki"}"#, "spec.timeZone"),
        (#"{"schedule":"@hourly","leadTime":"30h"}"#, "leadTime must be from 0s to 24h"),
        (#"{"schedule":"*/15 9-17 * * mon-fri","timeZone":"Europe/Helsinki","leadTime":"30s"}"#, ""),
        (#"{"schedule":"@daily"}"#, ""),
    ])
    func scheduleRules(spec: String, message: String) async throws {
        try await ServerWithCRD.run { server in
            let document = try #require(JSON.parse(Data(#"{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"s","namespace":"default"},"spec":\#(spec)}"#.utf8)))
            let applied = try await server.apply(document)
            if message.isEmpty {
                #expect(applied.status == 201, "\(spec): \(applied.text)")
            } else {
                #expect(applied.status == 422, "\(spec): \(applied.text)")
                #expect(applied.text.contains(message), "\(applied.text)")
            }
        }
    }
}
