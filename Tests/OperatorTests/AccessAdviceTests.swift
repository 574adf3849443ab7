import KubeClient
import KubeStore
import Testing

@Suite("Access problems in hourly-image's words: which flag or manifest fixes each refused call")
struct AccessAdviceTests {
    typealias Call = AccessProblem.Call

    struct Row: Sendable, CustomStringConvertible {
        var call: Call
        var error: KubeAPIError
        /// Substrings the summary or hint must contain; nil when the failure is not an access problem.
        var mentions: [String]?
        var description: String { "\(call) → \(error.code.map(String.init) ?? "no status")" }
    }

    static let forbidden = KubeAPIError.forbidden(#"User "system:serviceaccount:ns:sa" cannot get resource "leases""#)

    static let rows: [Row] = [
        Row(call: Call("get", "leases", namespace: "default"), error: forbidden, mentions: ["get leases in namespace default", "Lease", "--lease-namespace", "--no-leader-elect"]),
        Row(call: Call("create", "leases", namespace: "ops"), error: .forbidden("no"), mentions: ["create", "namespace ops", "--lease-namespace", "--no-leader-elect"]),
        Row(call: Call("update", "leases", namespace: "ops"), error: .forbidden("no"), mentions: ["update", "--lease-namespace"]),
        Row(call: Call("create", "leases", namespace: "gone"), error: .notFound(#"namespaces "gone" not found"#), mentions: ["namespace gone", "does not exist", "--lease-namespace", "--no-leader-elect"]),
        Row(call: Call("get", "leases", namespace: "default"), error: .notFound("no lease yet"), mentions: nil),
        Row(call: Call("list", "hourlyimages", namespace: nil), error: .forbidden("no"), mentions: ["list hourlyimages in all namespaces", "rbac/", "--namespace"]),
        Row(call: Call("watch", "hourlyimages", namespace: "default"), error: .forbidden("no"), mentions: ["watch", "namespace default", "rbac/", "--namespace"]),
        Row(call: Call("list", "hourlyimages", namespace: nil), error: .notFound("the server could not find the requested resource"), mentions: ["crds/", "CRD"]),
        Row(call: Call("update", "hourlyimages/status", namespace: "default"), error: .forbidden("no"), mentions: ["update", "hourlyimages/status", "rbac/"]),
        Row(call: Call("update", "hourlyimages/status", namespace: "default"), error: .notFound("deleted"), mentions: nil),
        Row(call: Call("patch", "hourlyimages/status", namespace: "default"), error: .forbidden("no"), mentions: ["patch", "hourlyimages/status", "rbac/"]),
        Row(call: Call("create", "events", namespace: "default"), error: .forbidden("no"), mentions: ["create events in namespace default", "rbac/"]),
        Row(call: Call("get", "leases", namespace: "default"), error: .unauthorized("Unauthorized"), mentions: ["credentials", "token", "--kubeconfig", "--context"]),
        Row(call: Call("list", "hourlyimages", namespace: nil), error: .unauthorized("Unauthorized"), mentions: ["credentials", "expired"]),
        Row(call: Call("update", "leases", namespace: "default"), error: .conflict("stale", reason: "Conflict"), mentions: nil),
        Row(call: Call("list", "hourlyimages", namespace: nil), error: .server(code: 503, message: "down"), mentions: nil),
        Row(call: Call("watch", "hourlyimages", namespace: nil), error: .transport("refused"), mentions: nil),
        Row(call: Call("list", "hourlyimages", namespace: nil), error: .tooManyRequests("slow down", retryAfter: 1), mentions: nil),
    ]

    @Test("classify, in hourly-image's words", arguments: rows)
    func classify(_ row: Row) throws {
        let problem = AccessProblem.classify(row.call, error: row.error, identity: "kubeconfig k, context c, user u", advice: .hourlyImage)
        guard let mentions = row.mentions else {
            #expect(problem == nil)
            return
        }
        let found = try #require(problem)
        #expect(found.code == row.error.code)
        for text in mentions { #expect(found.description.contains(text), "\(text) in \(found.description)") }
        #expect(found.description.contains("kubeconfig k, context c, user u"), "names the client identity")
    }
}
