// Golden index fixtures: indexes of the seed articles written by earlier builds
// (Tests/Fixtures/golden-v<N>/, made by Scripts/make-golden-index.sh) must keep opening,
// passing the checker and answering like a freshly built index.
//
// For: catching a format change that old indexes do not survive. A change of the on-disk format
// must bump `segmentFormatVersion` and add a golden-v<new> directory: the tests require one for
// the current version, and each directory's recorded version to match its name.
// Not for: search quality (SearchSeedsTests).

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

enum GoldenIndexes {
    static let fixtures = Fixtures.fixtures.path

    /// The versions that have a golden-v<N> directory.
    static let versions: [Int] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? []
        return names.compactMap { $0.hasPrefix("golden-v") ? Int($0.dropFirst(8)) : nil }.sorted()
    }()

    static func path(_ version: Int) -> String { fixtures + "/golden-v\(version)" }

    /// Copies a golden index into a fresh temporary directory (the fixture is never written).
    static func withCopy<R>(of version: Int, _ body: (String) throws -> R) throws -> R {
        try withTemporaryDirectory { dir in
            let copy = dir + "/index"
            try FileManager.default.copyItem(atPath: path(version), toPath: copy)
            return try body(copy)
        }
    }
}

@Suite struct GoldenIndexTests {
    @Test func theCurrentFormatVersionHasAGoldenIndex() {
        #expect(
            GoldenIndexes.versions.contains(segmentFormatVersion),
            "no Tests/Fixtures/golden-v\(segmentFormatVersion): run Scripts/make-golden-index.sh after a format version bump")
    }

    @Test(arguments: GoldenIndexes.versions)
    func goldenIndexOpensAndAnswersLikeAFreshIndex(version: Int) throws {
        let seeds = try Fixtures.seedDocuments()
        let fresh = try IndexReader.inMemory(seeds)
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: GoldenIndexes.path(version)).sorted()
        #expect(!filesBefore.contains(IndexLock.fileName), "the fixture must not hold a lock file")
        try GoldenIndexes.withCopy(of: version) { index in
            let report = try IndexChecker.check(at: index)
            #expect(report.isValid, "\(report.problems)")
            #expect(report.documents == 5)

            let reader = try IndexReader.open(at: index)
            #expect(reader.documentCount == 5)
            #expect(reader.deletedCount == 0)
            for query in ["Patriot", "\"air defense\"", "ракеты", "Зеленський OR Hellfire"] {
                let golden = try reader.search(query)
                let expected = try fresh.search(query)
                #expect(golden.hits.map(\.id) == expected.hits.map(\.id), "\(query)")
                #expect(golden.total == expected.total, "\(query)")
                for (g, e) in zip(golden.hits, expected.hits) {
                    #expect(abs(g.score - e.score) <= 1e-9 * max(1, abs(e.score)), "\(query): \(g.id)")
                    #expect(g.snippet == e.snippet, "\(query): \(g.id)")
                }
            }
            #expect(try reader.search("Patriot").hits.map(\.id).first == "000_b12ab77b13486087.txt")
            // Stored documents come back exactly as loaded.
            for d in seeds {
                #expect(try reader.document(id: d.id) == d, "\(d.id)")
            }

            // The format version recorded in the commit (its JSON and its header) and in the
            // segment files is this directory's version.
            let commit = try #require(try Snapshot.openNewest(in: IndexDirectory(path: index))?.commit)
            #expect(commit.formatVersion == version)
            let commitName = CommitData.fileName(generation: commit.generation)
            let commitBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index + "/" + commitName)))
            try #require(commitBytes.count > 12)
            let headerVersion = (0..<4).reduce(0) { $0 | Int(commitBytes[8 + $1]) << (8 * $1) }
            #expect(headerVersion == version)
            for s in commit.segments {
                let bytes = try FileBytes(mapping: index + "/" + s.name + ".seg", name: s.name + ".seg")
                #expect(try SegmentFileReader(bytes).formatVersion == version)
            }
            #expect(reader.schema == commit.schema)

            // The current writer continues an old index: add, commit, and everything still reads.
            let writer = try IndexWriter(at: index)
            try writer.add(Document(id: "golden-extra", title: "Extra", body: "Patriot extra document"))
            try writer.commit()
            writer.close()
            let updated = try IndexReader.open(at: index)
            #expect(updated.documentCount == 6)
            #expect(try updated.search("Patriot").total == fresh.search("Patriot").total + 1)
            #expect(try IndexChecker.check(at: index).isValid)
        }
        // The fixture itself is untouched.
        #expect(try FileManager.default.contentsOfDirectory(atPath: GoldenIndexes.path(version)).sorted() == filesBefore)
    }
}
