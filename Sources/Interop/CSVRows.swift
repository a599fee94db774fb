import Foundation

/// A streaming RFC 4180 reader over UTF-8 bytes: quoted fields, doubled quotes, line breaks
/// inside quotes, CRLF or LF, a byte-order mark. Written here because CSV.swift decodes the input
/// scalar by scalar through a `UnicodeIterator` and spent about 40 µs of the 190 µs per ACLED row
/// that an import took (perf, 2026-11-23); the import budget is 10 µs a row. This one splits on
/// bytes and builds each field's `String` once, validating its UTF-8.
public final class CSVRows {
    public enum Failure: Error, Equatable {
        /// The bytes of the record at `row` (the header being 1) are not UTF-8.
        case notUTF8(row: Int)
        case unreadable(String)
    }

    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    /// Records read so far, the header included.
    public private(set) var recordNumber = 0
    private static let chunkSize = 1 << 20
    /// The field separator: a comma, or a semicolon (KoBo's CSV exports), or a tab.
    public var separator: UInt8 = 0x2C

    public init(url: URL) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw Failure.unreadable(url.lastPathComponent) }
        try skipByteOrderMark()
    }

    public init(string: String) {
        handle = nil
        buffer = Array(string.utf8)
        finished = true
        try? skipByteOrderMark()
    }

    deinit { try? handle?.close() }

    private func skipByteOrderMark() throws {
        try fill(atLeast: 3)
        if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB,
            buffer[position + 2] == 0xBF
        {
            position += 3
        }
    }

    /// Reads more of the file until `count` bytes are available past `position`, or the end.
    private func fill(atLeast count: Int) throws {
        while !finished, buffer.count - position < count {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            guard let handle else { finished = true; return }
            let chunk: Data?
            do { chunk = try handle.read(upToCount: Self.chunkSize) } catch { throw Failure.unreadable("\(error)") }
            guard let chunk, !chunk.isEmpty else { finished = true; return }
            buffer.append(contentsOf: chunk)
        }
    }

    /// The next record's fields, or nil at the end of the input.
    public func next() throws -> [String]? {
        try fill(atLeast: 1)
        guard position < buffer.count else { return nil }
        recordNumber += 1
        var fields: [String] = []
        fields.reserveCapacity(32)
        var field: [UInt8] = []
        var quoted = false
        var fieldWasQuoted = false
        func finishField() throws {
            guard let text = String(validating: field, as: UTF8.self) else { throw Failure.notUTF8(row: recordNumber) }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        while true {
            if position >= buffer.count {
                try fill(atLeast: 1)
                if position >= buffer.count {
                    // End of input: an open quote runs to the end, as lenient readers do.
                    try finishField()
                    return fields
                }
            }
            let byte = buffer[position]
            position += 1
            if quoted {
                if byte == 0x22 {
                    try fill(atLeast: 1)
                    if position < buffer.count, buffer[position] == 0x22 {
                        field.append(0x22)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case separator:
                try finishField()
            case 0x0A:
                try finishField()
                return fields
            case 0x0D:
                try fill(atLeast: 1)
                if position < buffer.count, buffer[position] == 0x0A { position += 1 }
                try finishField()
                return fields
            case 0x22 where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            default:
                field.append(byte)
            }
        }
    }
}
