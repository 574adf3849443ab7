import KubeClient
import Testing

@Suite("Access problems: which failed calls they are, what fixes them, and logging each once")
struct AccessProblemTests {
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

    @Test("classify", arguments: rows)
    func classify(_ row: Row) throws {
        let problem = AccessProblem.classify(row.call, error: row.error, identity: "kubeconfig k, context c, user u")
        guard let mentions = row.mentions else {
            #expect(problem == nil)
            return
        }
        let found = try #require(problem)
        #expect(found.code == row.error.code)
        for text in mentions { #expect(found.description.contains(text), "\(text) in \(found.description)") }
        #expect(found.description.contains("kubeconfig k, context c, user u"), "names the client identity")
    }

    @Test("the server's message, which names the user, is kept")
    func keepsServerMessage() throws {
        let problem = try #require(AccessProblem.classify(Call("get", "leases", namespace: "default"), error: Self.forbidden, identity: "in-cluster service account"))
        #expect(problem.serverMessage.contains("system:serviceaccount:ns:sa"))
        #expect(problem.description.contains("system:serviceaccount:ns:sa"))
    }

    static func problem(_ call: Call, _ message: String = "no") -> AccessProblem {
        AccessProblem.classify(call, error: .forbidden(message), identity: "me")!
    }

    @Test("a ledger reports a problem once per call, again when it changes, and again after it clears and comes back")
    func ledger() {
        var ledger = AccessProblemLedger()
        let lease = Call("get", "leases", namespace: "default")
        let events = Call("create", "events", namespace: "default")
        let first = ledger.report(Self.problem(lease))
        let retry = ledger.report(Self.problem(lease))
        let other = ledger.report(Self.problem(events))
        #expect(first)
        #expect(!retry, "a retry of the same failure is not news")
        #expect(other, "another call is")
        #expect(ledger.current.map(\.call) == [events, lease])
        let changed = ledger.report(Self.problem(lease, "other message"))
        #expect(changed, "a changed failure is news")
        let cleared = ledger.succeeded(lease)
        let clearedAgain = ledger.succeeded(lease)
        #expect(cleared != nil)
        #expect(clearedAgain == nil, "nothing left to clear")
        let back = ledger.report(Self.problem(lease))
        #expect(back, "back after clearing: news again")
        _ = ledger.succeeded(lease)
        _ = ledger.succeeded(events)
        #expect(ledger.current.isEmpty)
    }

    @Test("the registry treats an authorized call refused for its content (404, 409, 422) as access restored")
    func authorizedFailureClears() {
        let problems = AccessProblems(identity: "me")
        let lease = Call("get", "leases", namespace: "default")
        #expect(problems.failed(lease, KubeAPIError.forbidden("no")) != nil)
        #expect(problems.current.count == 1)
        #expect(problems.failed(lease, KubeAPIError.server(code: 503, message: "down")) == nil)
        #expect(problems.current.count == 1, "an outage says nothing about access")
        #expect(problems.failed(lease, KubeAPIError.notFound("no lease yet")) == nil)
        #expect(problems.current.isEmpty)
    }
}
