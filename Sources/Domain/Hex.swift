import Crypto
import Foundation

/// Hex-encoded digests and random secrets: one implementation for audit hashes, token hashes,
/// session ids and CSRF tokens.
public enum Hex {
    /// Lower-case hex of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        // A table lookup rather than String(format:): token and session checks hash on every request.
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// SHA-256 of the UTF-8 text, in hex.
    /// Lower-case hex SHA-256 of bytes (an attachment's name in the store).
    public static func sha256(_ data: Data) -> String { encode(SHA256.hash(data: data)) }

    public static func sha256(_ text: String) -> String {
        encode(SHA256.hash(data: Data(text.utf8)))
    }

    /// `byteCount` bytes from the system's secure random source, in hex.
    public static func random(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
