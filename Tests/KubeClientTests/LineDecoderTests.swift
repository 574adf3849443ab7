import Foundation
import HourlyImageAPI
import Testing

@testable import KubeClient

@Suite("Watch stream decoding")
struct LineDecoderTests {
    static let events: [String] = [
        #"{"type":"ADDED","object":{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"a","namespace":"default","resourceVersion":"10"},"spec":{}}}"#,
        #"{"type":"BOOKMARK","object":{"kind":"HourlyImage","apiVersion":"images.dwk.dev/v1alpha1","metadata":{"resourceVersion":"12"}}}"#,
        #"{"type":"MODIFIED","object":{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"a","namespace":"default","resourceVersion":"13"},"spec":{"ttl":"2m","url":"\#(String(repeating: "x", count: 70_000))"}}}"#,
        #"{"type":"DELETED","object":{"apiVersion":"images.dwk.dev/v1alpha1","kind":"HourlyImage","metadata":{"name":"a","namespace":"default","resourceVersion":"14"},"spec":{}}}"#,
        #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (14)","reason":"Expired","code":410}}"#,
    ]

    @Test("lines are reassembled across any chunk size, including objects larger than a chunk", arguments: [1, 7, 64, 4096, 1 << 20])
    func chunkBoundaries(chunk: Int) throws {
        let stream = Data((Self.events.joined(separator: "\n") + "\n").utf8)
        var decoder = LineDecoder()
        var lines: [Data] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + chunk, stream.count)
            lines += try decoder.feed(stream[offset..<end])
            offset = end
        }
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == Self.events)
        #expect(decoder.pending == 0)
    }

    @Test("blank lines and CRLF are tolerated; an unfinished line waits")
    func partial() throws {
        var decoder = LineDecoder()
        #expect(try decoder.feed(Data("\r\n\n{\"a\":1}\r\n{\"b\"".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}\r"])
        #expect(decoder.pending == 4)
    }

    @Test("a line longer than the limit is an error, not unbounded memory")
    func limit() {
        var decoder = LineDecoder(maximumLineLength: 10)
        #expect(throws: KubeAPIError.self) { try decoder.feed(Data(repeating: 0x41, count: 11)) }
    }

    @Test("each event type decodes into the typed event")
    func eventTypes() throws {
        let decoded = try Self.events.map { try WatchEvent<HourlyImage>.decode(Data($0.utf8)) }
        guard case .added(let a) = decoded[0], case .bookmark(let rv) = decoded[1], case .modified(let m) = decoded[2],
            case .deleted(let d) = decoded[3], case .error(let status) = decoded[4]
        else {
            Issue.record("wrong event kinds: \(decoded)")
            return
        }
        #expect(a.metadata.resourceVersion == "10")
        #expect(rv == "12")
        #expect(m.spec.ttl == "2m")
        #expect(d.metadata.resourceVersion == "14")
        #expect(status.code == 410)
        #expect(throws: KubeAPIError.self) { try WatchEvent<HourlyImage>.decode(Data(#"{"type":"WHAT","object":{}}"#.utf8)) }
    }

    @Test("API errors decode the Status object into a typed error", arguments: [
        (401, "Unauthorized"), (403, "Forbidden"), (404, "NotFound"), (409, "Conflict"), (410, "Gone"), (422, "Invalid"), (429, "TooManyRequests"), (503, "ServiceUnavailable"),
    ])
    func statusErrors(code: Int, reason: String) throws {
        let body = try JSONEncoder().encode(KubeStatus(message: "m", reason: reason, code: code))
        let error = KubeAPIError.from(status: code, body: body, retryAfter: "3")
        #expect(error.code == code)
        if code == 429 { #expect(error == .tooManyRequests("m", retryAfter: 3)) }
        if code == 409 { #expect(error == .conflict("m", reason: "Conflict")) }
    }
}
