import Testing

@testable import KubeClient

@Suite("Reflector state machine")
struct ReflectorMachineTests {
    @Test("list, then watch from the list's resourceVersion, then resume from the last one seen")
    func listThenWatch() {
        var m = ReflectorMachine()
        #expect(m.start() == .list)
        #expect(m.listed(resourceVersion: "100") == .watch(from: "100"))
        m.observed(resourceVersion: "105")
        m.observed(resourceVersion: "110")  // a bookmark
        #expect(m.watchEnded(nil, random: 0.5) == .watch(from: "110"), "a clean end (timeoutSeconds) resumes at once")
    }

    @Test("410 Gone relists at once and forgets the resourceVersion")
    func goneRelists() {
        var m = ReflectorMachine()
        _ = m.listed(resourceVersion: "5")
        #expect(m.watchEnded(.gone("too old"), random: 0.5) == .list)
        #expect(m.resourceVersion == nil)
        #expect(m.listFailed(.gone("continue expired"), random: 0.5) == .list, "an expired continue token relists")
    }

    @Test("errors back off exponentially to the maximum and reset after progress")
    func backoff() {
        var m = ReflectorMachine(initialBackoff: 1, maximumBackoff: 8, jitter: 0)
        _ = m.listed(resourceVersion: "7")
        var waits: [Double] = []
        for _ in 0..<6 {
            guard case .waitThenWatch(let seconds, let from) = m.watchEnded(.transport("reset"), random: 0.5) else {
                Issue.record("expected a wait")
                return
            }
            #expect(from == "7")
            waits.append(seconds)
        }
        #expect(waits == [1, 2, 4, 8, 8, 8])
        m.observed(resourceVersion: "8")
        #expect(m.failures == 0)
        #expect(m.watchEnded(.server(code: 500, message: "x"), random: 0.5) == .waitThenWatch(seconds: 1, from: "8"))
    }

    @Test("jitter stays within its bounds; Retry-After is honoured", arguments: [0.0, 0.5, 1.0])
    func jitter(random: Double) {
        var m = ReflectorMachine(initialBackoff: 10, maximumBackoff: 10, jitter: 0.2)
        _ = m.listed(resourceVersion: "1")
        guard case .waitThenWatch(let seconds, _) = m.watchEnded(.transport("x"), random: random) else {
            Issue.record("expected a wait")
            return
        }
        #expect(seconds >= 8 - 1e-9 && seconds <= 12 + 1e-9)
        #expect(m.watchEnded(.tooManyRequests("slow down", retryAfter: 7), random: random) == .waitThenWatch(seconds: 7, from: "1"))
    }

    @Test("a failed list backs off before listing again")
    func listFailure() {
        var m = ReflectorMachine(initialBackoff: 2, maximumBackoff: 30, jitter: 0)
        #expect(m.listFailed(.forbidden("no list"), random: 0.5) == .waitThenList(seconds: 2))
        #expect(m.listFailed(.transport("refused"), random: 0.5) == .waitThenList(seconds: 4))
        #expect(m.listed(resourceVersion: "3") == .watch(from: "3"))
        #expect(m.failures == 0)
    }
}
