// Poisk: a full-text search engine library for Swift programs to embed.
//
// The module re-exports PoiskAnalysis, so `import Poisk` gives the analyzer too.
// Data flows one way: text → Analysis → Index (SegmentBuilder) → Format (segment bytes, commit)
// → Reader (snapshot) → Query → Search (scorers, collectors, snippets) → hits.

@_exported import PoiskAnalysis

/// The library's version.
public let poiskVersion = "0.1.0"
