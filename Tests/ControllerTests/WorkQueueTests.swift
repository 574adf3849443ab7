import Testing

@testable import HourlyImageController

@Suite("Work queue")
struct WorkQueueTests {
    @Test("duplicate keys added before a worker takes them are processed once")
    func coalesces() async {
        let queue = WorkQueue<String>()
        for _ in 0..<5 { await queue.add("a") }
        await queue.add("b")
        #expect(await queue.depth == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(await queue.addsTotal == 6)
    }

    @Test("a key added while in progress is handed out again only after done, never twice at once")
    func neverConcurrent() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        #expect(await queue.next() == "a")
        await queue.add("a")
        #expect(await queue.depth == 0, "held back while a worker has it")
        await queue.done("a")
        #expect(await queue.depth == 1)
        #expect(await queue.next() == "a")
    }

    @Test("a waiting worker receives the next key")
    func waitingWorker() async {
        let queue = WorkQueue<String>()
        async let taken = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.add("x")
        #expect(await taken == "x")
    }

    @Test("delayed adds fire after their delay and the earliest deadline wins")
    func delayed() async throws {
        let queue = WorkQueue<String>()
        await queue.add("late", after: .seconds(60))
        await queue.add("late", after: .milliseconds(30))
        await queue.add("later", after: .seconds(60))
        #expect(await queue.depth == 0)
        // Poll rather than sleep a fixed time: the machine may be busy with other tests.
        for _ in 0..<500 where await queue.depth == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await queue.depth == 1)
        #expect(await queue.next() == "late")
        #expect(await queue.scheduledCount == 1)
    }

    @Test("failures back off per key, doubling to the maximum, and forget resets them")
    func rateLimited() async {
        let queue = WorkQueue<String>(initialBackoff: .seconds(1), maximumBackoff: .seconds(8))
        #expect(await (0..<6).asyncMap { await queue.delay(forFailures: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        await queue.addRateLimited("k")
        await queue.addRateLimited("k")
        #expect(await queue.retriesTotal == 2)
        await queue.forget("k")
        #expect(await queue.scheduledCount == 1)
    }

    @Test("shutdown releases waiting workers with nil")
    func shutdown() async {
        let queue = WorkQueue<String>()
        async let taken = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.shutDown()
        #expect(await taken == nil)
        await queue.add("ignored")
        #expect(await queue.next() == nil)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var out: [T] = []
        for element in self { out.append(await transform(element)) }
        return out
    }
}
