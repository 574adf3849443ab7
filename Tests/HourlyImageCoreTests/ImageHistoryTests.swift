import Foundation
import HourlyImageAPI
import Testing

@testable import HourlyImageCore

@Suite("The image history: what became current, newest first")
struct ImageHistoryTests {
    func served(_ tag: String, at seconds: Int64) -> ImageRecord {
        var record = image(tag, fetchedAt: at(seconds - 5))
        record.servedSince = at(seconds)
        return record
    }

    @Test("each new current image leads; the one it replaced gets its end; keep bounds the list; the same image twice is no change")
    func recording() throws {
        let one = try #require(ImageHistory().recording(served("a", at: 0), keep: 3))
        #expect(one.entries.map(\.sha256) == [image("a").sha256])
        #expect(one.entries[0].servedUntil == nil)
        #expect(one.entries[0].author == nil && one.entries[0].picsumID == "1")
        #expect(one.recording(served("a", at: 0), keep: 3) == nil, "already at the head: nothing to write")
        let two = try #require(one.recording(served("b", at: 3600), keep: 3))
        #expect(two.entries.map(\.sha256) == [image("b").sha256, image("a").sha256])
        #expect(two.entries[1].servedUntil == at(3600))
        let three = try #require(two.recording(served("c", at: 7200), keep: 3))
        let four = try #require(three.recording(served("d", at: 9000), keep: 3))
        #expect(four.entries.map(\.sha256) == ["d", "c", "b"].map { image($0).sha256 })
        // The same bytes served again later are a new entry.
        #expect(four.recording(served("d", at: 12000), keep: 3)?.entries.count == 3)
        #expect(four.recording(served("e", at: 12000), keep: 0)?.entries.count == 1, "at least the current one")
    }

    @Test("the index round-trips; damaged, foreign or oversized ones are refused or cut")
    func decoding() throws {
        let history = try #require(ImageHistory().recording(served("a", at: 0), keep: 3))
        #expect(ImageHistory.decode(history.encoded()) == history)
        for bad in ["", "{", "[]", #"{"version":2,"entries":[]}"#, #"{"version":1,"entries":[{"file":1}]}"#] {
            #expect(ImageHistory.decode(Data(bad.utf8)) == nil, "\(bad)")
        }
        let many = ImageHistory(entries: Array(repeating: history.entries[0], count: 1500))
        #expect(ImageHistory.decode(many.encoded())?.entries.count == ImageHistory.maximumEntries)
    }
}
