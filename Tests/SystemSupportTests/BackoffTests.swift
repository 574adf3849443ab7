import SystemSupport
import Testing

@Suite("Backoff")
struct BackoffTests {
    @Test("doubles from initial to maximum, jitter bounded, hostile counts never trap")
    func schedule() {
        let backoff = Backoff(initial: 1, maximum: 30, jitter: 0.2)
        #expect((0...7).map { backoff.baseDelay(failures: $0) } == [0, 1, 2, 4, 8, 16, 30, 30])
        #expect(backoff.delay(failures: 2, unit: 0) == 1.6)
        #expect(abs(backoff.delay(failures: 2, unit: 1) - 2.4) < 1e-9)
        #expect(backoff.delay(failures: .max, unit: .nan) == 30)
        #expect(backoff.baseDelay(failures: .min) == 0)
    }
}
