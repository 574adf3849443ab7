import Testing

@testable import HourlyImageAPI

@Suite("Redaction of what others can read")
struct RedactionTests {
    @Test("userinfo and query values are hidden; scheme, host, path, query names and fragment stay", arguments: [
        ("https://user:pw@example.com/a.jpg?token=abc&w=1#f", "https://***@example.com/a.jpg?token=***&w=***#f"),
        ("https://user@example.com:8443/x", "https://***@example.com:8443/x"),
        ("https://example.com/a.jpg?sig", "https://example.com/a.jpg?sig"),
        ("https://picsum.photos/1200", "https://picsum.photos/1200"),
        ("https://example.com?x=1", "https://example.com?x=***"),
        ("not a url", "not a url"),
    ])
    func urls(input: String, expected: String) {
        #expect(Redaction.url(input) == expected)
    }

    @Test("log values cannot start a new line", arguments: [
        ("a\nb", "a\\nb"), ("a\r\nFORGED", "a\\r\\nFORGED"), ("tab\there", "tab\\there"), ("bell\u{7}", "bell\\u{7}"),
        ("plain", "plain"), ("sep\u{2028}x", "sep\\u{2028}x"),
    ])
    func logValues(input: String, expected: String) {
        #expect(Redaction.logValue(input) == expected)
        #expect(!Redaction.logValue(input).contains(where: { $0.isNewline }))
    }
}
