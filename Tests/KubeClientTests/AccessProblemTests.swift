import KubeClient
import Testing

@Suite("Access problems: which failed calls they are, what fixes them, and logging each once")
struct AccessProblemTests {
    typealias Call = AccessProblem.Call

    static let forbidden = KubeAPIError.forbidden(#"User "system:serviceaccount:ns:sa" cannot get resource "leases""#)

    @Test("the generic wording names the call and the verb to grant, knows no program's flags, and finds every 404 normal")
    func generic() throws {
        let forbidden = try #require(AccessProblem.classify(Call("list", "widgets", namespace: "ops"), error: .forbidden("no"), identity: "me"))
        #expect(forbidden.summary == "forbidden to list widgets in namespace ops")
        #expect(forbidden.hint == "grant list on widgets to this identity")
        let refused = try #require(AccessProblem.classify(Call("get", "leases", namespace: "ops"), error: .unauthorized("Unauthorized"), identity: "me"))
        #expect(refused.summary.contains("credentials"))
        for problem in [forbidden, refused] {
            for flag in ["--", "rbac/", "crds/", "HourlyImage"] { #expect(!problem.description.contains(flag), "\(flag) in \(problem)") }
        }
        #expect(AccessProblem.classify(Call("create", "leases", namespace: "gone"), error: .notFound("namespace gone"), identity: "me") == nil)
        // A program's advice that leaves a refusal unexplained falls back to the generic wording.
        let silent = AccessAdvice { _, _ in nil }
        #expect(AccessProblem.classify(Call("list", "widgets", namespace: "ops"), error: .forbidden("no"), identity: "me", advice: silent) == forbidden)
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
