import SystemSupport
import Testing

@Suite("Broadcast")
struct BroadcastTests {
    @Test("a subscriber gets its initial values, then every value sent, and a cancelled one unsubscribes")
    func fansOut() async throws {
        let broadcast = Broadcast<Int>()
        let first = broadcast.subscribe(initial: [1, 2])
        broadcast.send(3)
        let second = broadcast.subscribe()
        broadcast.send(4)
        #expect(broadcast.count == 2)
        var firstValues = first.makeAsyncIterator()
        var got: [Int] = []
        for _ in 0..<4 { got.append(try #require(await firstValues.next())) }
        #expect(got == [1, 2, 3, 4])
        let consumer = Task { () -> [Int] in
            var values: [Int] = []
            for await value in second { values.append(value) }
            return values
        }
        broadcast.send(5)
        consumer.cancel()
        let seen = await consumer.value
        #expect(seen.first == 4)
        #expect(broadcast.count == 1)
    }
}
