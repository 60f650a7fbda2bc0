// JSON helpers for the small JSON parts of the format (segment meta, commit files).

import Foundation

/// Encodes a value as compact JSON with sorted keys (deterministic bytes).
package func encodeJSON<T: Encodable>(_ value: T) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding our own plain Codable structs cannot fail; fall back to an empty object anyway.
    return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
}

/// Decodes JSON bytes, turning failures into `PoiskError.corruptIndex`.
package func decodeJSON<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, file: String, section: String) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: Data(bytes))
    } catch {
        throw PoiskError.corruptIndex(file: file, section: section, reason: "unreadable JSON")
    }
}
