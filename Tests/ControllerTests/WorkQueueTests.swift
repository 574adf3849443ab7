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

    @Test("failures count per key in a row, for the retry policy, and forget resets them")
    func failuresInARow() async {
        let queue = WorkQueue<String>()
        #expect(await queue.failed("k") == 1)
        #expect(await queue.failed("k") == 2)
        #expect(await queue.failed("other") == 1)
        #expect(await queue.retriesTotal == 3)
        await queue.forget("k")
        #expect(await queue.failed("k") == 1)
        #expect(await queue.failed("other") == 2)
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
