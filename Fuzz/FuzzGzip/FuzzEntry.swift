// Fuzz target: the gzip and DEFLATE decoders (`Gzip`, `Inflate`) on untrusted bytes.
//
// For: finding inputs on which decompression crashes, traps, hangs, reads or writes memory it
// does not own, allocates without bound, or breaks its contract. A `PoiskError.io` is an
// acceptable outcome; any other error is a bug. Not for: checking that valid files decode to
// the right bytes (GzipTests compares against Python's zlib and the gzip binary).
//
// Input: one mode byte, then the data.
//   mode % 2 == 0: a gzip file. Checked: decoding it twice gives the same output or the same
//                  error; when it decodes and its last 4 bytes equal the output's length
//                  (a single member, or only empty members before the last), the output's
//                  CRC-32 equals the 4 bytes before them.
//   mode % 2 == 1: a raw DEFLATE stream, so that mutations reach the block and Huffman
//                  decoding without having to get a CRC-32 right. Checked: decoding twice
//                  agrees; when it decodes, the same stream wrapped in a gzip member (header,
//                  the stream, the output's CRC-32 and length) decodes to the same bytes, and
//                  with its CRC-32 changed it fails.

import Foundation
import Poisk

/// libFuzzer's input function.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let mode = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    if mode % 2 == 0 {
        let first = decode(bytes, raw: false)
        precondition(first == decode(bytes, raw: false), "decoding the same gzip bytes twice differs")
        if case .success(let output) = first, bytes.count >= 8,
            readUInt32(bytes, at: bytes.count - 4) == UInt32(truncatingIfNeeded: output.count)
        {
            precondition(
                CRC32.checksum(output) == readUInt32(bytes, at: bytes.count - 8), "decoded output does not match its CRC-32")
        }
    } else {
        let first = decode(bytes, raw: true)
        precondition(first == decode(bytes, raw: true), "decoding the same DEFLATE bytes twice differs")
        if case .success(let output) = first {
            let crc = CRC32.checksum(output)
            var member: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + bytes
            appendUInt32(&member, crc)
            appendUInt32(&member, UInt32(truncatingIfNeeded: output.count))
            precondition(decode(member, raw: false) == .success(output), "the stream decodes differently inside gzip")
            member[member.count - 8] ^= 1
            guard case .failure(let reason) = decode(member, raw: false), reason.contains("CRC-32 mismatch") else {
                preconditionFailure("a wrong CRC-32 was not reported")
            }
        }
    }
    return 0
}

enum Outcome: Equatable {
    case success([UInt8])
    case failure(String)
}

/// Decodes `bytes` as gzip or raw DEFLATE; a `PoiskError.io` naming the input is the only
/// acceptable error.
func decode(_ bytes: [UInt8], raw: Bool) -> Outcome {
    do {
        let data = try bytes.withUnsafeBytes {
            raw ? try Inflate.decompress($0, name: "fuzz") : try Gzip.decompress($0, name: "fuzz.gz")
        }
        return .success([UInt8](data))
    } catch PoiskError.io(let path, let reason) {
        precondition(path == (raw ? "fuzz" : "fuzz.gz"), "the error names the wrong file")
        precondition(!reason.isEmpty, "an empty reason")
        return .failure(reason)
    } catch {
        fatalError("unexpected error: \(error)")
    }
}

func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    guard offset >= 0, offset + 4 <= bytes.count else { return 0 }
    return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
}

func appendUInt32(_ bytes: inout [UInt8], _ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
}
