import Foundation

/// Test images: minimal byte sequences that start with the real magic bytes.
public enum TestImages {
    /// A JPEG-looking blob of `bytes` bytes (at least 22): FF D8 FF E0 + JFIF header, filler, FF D9.
    public static func jpeg(bytes: Int = 2048, seed: UInt8 = 0) -> Data {
        jpeg(bytes: bytes, seed: UInt64(seed))
    }

    /// A PNG-looking blob of `bytes` bytes (at least 33): signature, a valid 1x1 IHDR chunk, filler.
    public static func png(bytes: Int = 2048, seed: UInt8 = 0) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let ihdr: [UInt8] = Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]
        data += [0, 0, 0, 13] + ihdr + bigEndian(crc32(ihdr))
        return padded(data, to: bytes, seed: UInt64(seed) &+ 0x504E47)
    }

    /// A GIF-looking blob of `bytes` bytes (at least 14): "GIF89a", a 1x1 screen descriptor, filler, trailer 0x3B.
    public static func gif(bytes: Int = 2048, seed: UInt8 = 0) -> Data {
        let header = Data("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0]
        return padded(header, to: bytes - 1, seed: UInt64(seed) &+ 0x474946) + [0x3B]
    }

    /// A WebP-looking blob of `bytes` bytes (at least 20): "RIFF" <size LE> "WEBP" "VP8 " <chunk size LE>, filler.
    public static func webp(bytes: Int = 2048, seed: UInt8 = 0) -> Data {
        let total = max(bytes, 20)
        var data = Data("RIFF".utf8) + littleEndian(UInt32(total - 8)) + Data("WEBP".utf8)
        data += Data("VP8 ".utf8) + littleEndian(UInt32(total - 20))
        return padded(data, to: total, seed: UInt64(seed) &+ 0x574542)
    }

    /// The JPEG generator with a wide seed, so PicsumLikeServer can give every id its own content.
    static func jpeg(bytes: Int, seed: UInt64) -> Data {
        let header = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        return padded(header, to: bytes - 2, seed: seed &+ 0x4A5047) + [0xFF, 0xD9]
    }

    /// Appends seeded pseudo-random filler (never 0xFF, so no stray JPEG markers) up to `count` bytes.
    private static func padded(_ prefix: Data, to count: Int, seed: UInt64) -> Data {
        var data = prefix
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0xD1B5_4A32_D192_ED03
        while data.count < count {
            // splitmix64
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) where data.count < count {
                data.append(UInt8(truncatingIfNeeded: z >> UInt64(shift)) % 0xFF)
            }
        }
        return data
    }

    private static func littleEndian(_ value: UInt32) -> Data {
        Data([UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)])
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// CRC-32 (IEEE), as PNG chunks use.
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
