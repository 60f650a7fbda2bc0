// The Getting Started code from Sources/Poisk/Poisk.docc/GettingStarted.md, copied as written.
// Run from a folder that holds `seeds/`: `swift run --package-path Examples/GettingStarted`.
import Poisk

let seedsPath = "seeds"  // a folder of .txt and .md files
let indexPath = "news.index"  // created when missing

var loader = DocumentLoader()
let writer = try IndexWriter(at: indexPath)
try writer.add(contentsOf: loader.load(paths: [seedsPath]))
try writer.commit()
writer.close()

let reader = try IndexReader.open(at: indexPath)
let results = try reader.search("patriot missiles")
print("\(results.total) of \(reader.documentCount) documents match")
for hit in results.hits {
    print(hit.score, hit.id, hit.title)
    print("   ", hit.snippet)
}
