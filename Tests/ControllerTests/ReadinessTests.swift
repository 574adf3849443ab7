import HourlyImageStore
import Testing

@Suite("What /readyz answers")
struct ReadinessTests {
    @Test("ready only when loaded with no refused call; every reason is listed")
    func evaluate() {
        #expect(Readiness.evaluate(loaded: true, notLoadedReason: "loading", accessProblems: [], okText: "ok (leader)") == Readiness(isReady: true, text: "ok (leader)\n"))
        let loading = Readiness.evaluate(loaded: false, notLoadedReason: "loading", accessProblems: [])
        #expect(!loading.isReady)
        #expect(loading.text == "not ready:\n- loading\n")
        let refused = Readiness.evaluate(loaded: true, notLoadedReason: "loading", accessProblems: ["forbidden to get leases", "forbidden to create events"])
        #expect(!refused.isReady)
        #expect(refused.text == "not ready:\n- API access refused: forbidden to get leases\n- API access refused: forbidden to create events\n")
        let both = Readiness.evaluate(loaded: false, notLoadedReason: "loading", accessProblems: ["forbidden to list hourlyimages"])
        #expect(both.text.contains("forbidden to list hourlyimages") && both.text.contains("loading"))
    }
}
