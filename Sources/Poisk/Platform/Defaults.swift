// Defaults that differ by platform.
//
// For: `IndexWriterOptions`. Not for: anything a caller can set (these are only defaults).

/// Platform-dependent defaults.
package enum PlatformDefaults {
    /// The writer's default memory budget for buffered text: 256 MiB on macOS and Linux; less on
    /// devices whose apps the system ends for their memory footprint (iOS and visionOS 64 MiB,
    /// tvOS 64 MiB, watchOS 16 MiB). A writer's peak memory is roughly twice its budget (the
    /// text, then the postings built from it).
    package static let writerMemoryBudget: Int = {
        #if os(watchOS)
            return 16 << 20
        #elseif os(iOS) || os(tvOS) || os(visionOS)
            return 64 << 20
        #else
            return 256 << 20
        #endif
    }()
}
