// RawMemory: C-allocator buffers hold what is written, at the alignment of their type, at any
// size (zero included), and are released with `free`.

import Testing

@testable import PoiskAnalysis

@Suite struct RawMemoryTests {
    @Test func buffersHoldWhatIsWrittenAndAreFreedWithoutTheRuntime() {
        // Sizes around the allocator's size classes, and zero (rounded up to one value).
        for capacity in [0, 1, 7, 64, 1000, 1 << 16] {
            let p = RawMemory.allocate(UInt64.self, capacity: capacity)
            let n = max(1, capacity)
            for i in 0..<n { (p + i).initialize(to: UInt64(i) &* 0x9E37_79B9_7F4A_7C15) }
            #expect((0..<n).allSatisfy { p[$0] == UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
            #expect(Int(bitPattern: p) % MemoryLayout<UInt64>.alignment == 0)
            RawMemory.free(p)
        }
    }

    @Test func aStructWithReferencesRoundTrips() {
        final class Box {
            let value: Int
            init(_ value: Int) { self.value = value }
        }
        let p = RawMemory.allocate(Unmanaged<Box>.self, capacity: 3)
        let boxes = [Box(1), Box(2), Box(3)]
        for (i, b) in boxes.enumerated() { (p + i).initialize(to: .passUnretained(b)) }
        #expect((0..<3).map { p[$0].takeUnretainedValue().value } == [1, 2, 3])
        RawMemory.free(p)
    }
}
