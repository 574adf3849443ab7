import Foundation

/// Splits a byte stream into newline-terminated lines across arbitrary chunk boundaries
/// (a watch response is one JSON object per line; an object may span many chunks).
public struct LineDecoder: Sendable {
    private var buffer = Data()
    /// Bytes of `buffer` already searched for a newline, so each byte is scanned once.
    private var scanned = 0
    /// The longest line accepted, so a broken server cannot grow memory without bound.
    public let maximumLineLength: Int

    /// Creates a decoder.
    public init(maximumLineLength: Int = 16 * 1024 * 1024) {
        self.maximumLineLength = maximumLineLength
    }

    /// Feeds bytes and returns the complete, non-empty lines they finish (without the newline).
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [Data] {
        buffer.append(contentsOf: bytes)
        var lines: [Data] = []
        var start = buffer.startIndex
        var searchFrom = buffer.startIndex + scanned
        while let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
            let line = buffer[start..<newline]
            if !line.allSatisfy({ $0 == 0x0D || $0 == 0x20 }) { lines.append(Data(line)) }
            start = buffer.index(after: newline)
            searchFrom = start
        }
        if start > buffer.startIndex { buffer.removeSubrange(buffer.startIndex..<start) }
        scanned = buffer.count
        if buffer.count > maximumLineLength {
            throw KubeAPIError.decoding("a watch event longer than \(maximumLineLength) bytes")
        }
        return lines
    }

    /// Bytes received after the last newline.
    public var pending: Int { buffer.count }
}
