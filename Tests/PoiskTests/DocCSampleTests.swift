// The code samples of the DocC articles (Sources/Poisk/Poisk.docc), compiled and run as written.
//
// For: keeping the articles' Swift honest. Each test holds one sample between `// sample:` and
// `// end sample` markers, identical to the article except the lines that set `indexPath` and
// `seedsPath` (a temporary directory and the repository's `seeds/` here), followed by assertions.
// `articleSamplesMatchThisFile` checks that every Swift block of the articles appears here line
// for line, so an edited article without an edited test fails. Not for: API coverage (the other
// suites do that).

import Foundation
import Poisk
import PoiskTestSupport
import Testing

@Suite struct DocCSampleTests {
    /// The repository's `seeds/` folder.
    static let seeds = Fixtures.seeds

    /// The articles whose Swift blocks must appear in this file.
    static let articles = ["GettingStarted.md", "Analysis.md", "Performance.md", "TypedFields.md"]

    // MARK: - GettingStarted.md

    @Test func gettingStartedIndexAndSearchTheSeeds() throws {
        try withTemporaryDirectory { dir in
            // sample: GettingStarted / index the seeds
            let seedsPath = DocCSampleTests.seeds
            let indexPath = dir + "/news.index"

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
            // end sample

            #expect(reader.documentCount == 5)
            #expect(results.total == results.hits.count)
            #expect(results.total == 4)
            #expect(results.hits.first?.id == "000_b12ab77b13486087.txt")
            #expect(results.hits.allSatisfy { $0.snippet.contains("**") })
            #expect(zip(results.hits, results.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
            // The same search over the same seeds in memory gives the same ranking.
            let memory = try IndexReader.inMemory(try loader.load(paths: [seedsPath]))
            #expect(try memory.search("patriot missiles").hits.map(\.id) == results.hits.map(\.id))
        }
    }

    @Test func gettingStartedLoaderOptions() throws {
        // sample: GettingStarted / loader options
        let seedsPath = DocCSampleTests.seeds

        var options = DocumentLoader.Options()
        options.followSymlinks = false  // links are skipped; true follows them, never out of the folders
        options.includeHidden = false  // names starting with "." are skipped (.git always is)
        options.respectIgnoreFiles = true  // .gitignore, .ignore and .poiskignore exclude paths
        options.maxFileSize = 10 * 1024 * 1024  // larger files are skipped with a warning
        options.fileTypes = ["txt", "md", "markdown", "rst", "adoc", "org", "tex", "html", "htm"]
        options.globs = ["!drafts/"]  // gitignore-style; patterns without "!" choose the only files read

        var notesLoader = DocumentLoader(options: options)
        let notes = try notesLoader.load(paths: [seedsPath])
        print(notesLoader.summary)  // 5 files read; skipped: 0 hidden, 0 ignored, 0 symlink, …
        for skipped in notesLoader.summary.skipped {
            print(skipped.reason, skipped.path, skipped.detail)
        }
        // end sample

        #expect(notes.count == 5)
        #expect(notesLoader.summary.filesRead == 5)
        #expect(notesLoader.summary.skipped.isEmpty)
        #expect("\(notesLoader.summary)".hasPrefix("5 files read; skipped: 0 hidden, 0 ignored, 0 symlink,"))
        var defaults = DocumentLoader.Options()
        defaults.globs = ["!drafts/"]
        #expect(options == defaults)
    }

    @Test func gettingStartedOwnTypesAsync() async throws {
        let dir = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // sample: GettingStarted / own types
        struct Article: SearchIndexable, Codable {
            var slug: String
            var headline: String
            var text: String
            var searchID: String { slug }
            var searchFields: [String: String] { ["title": headline, "body": text] }
        }

        let indexPath = dir + "/articles.index"

        let writer = try IndexWriter(at: indexPath)
        try writer.add(Article(slug: "a-1", headline: "Patriot delivered", text: "Air defense for Kyiv."))
        try await writer.commit()
        let reader = try await IndexReader.open(at: indexPath)
        for hit in try await reader.search("patriot") {
            let article = try hit.decode(Article.self)  // the stored JSON, decoded
            print(article.headline, hit.score)
        }
        print(try await reader.count("air defense"))  // 1
        // end sample

        writer.close()
        #expect(try await reader.search("patriot").first?.decode(Article.self).slug == "a-1")
        #expect(try await reader.count("air defense") == 1)
    }

    @Test func gettingStartedInMemory() throws {
        // sample: GettingStarted / in memory
        let reader = try IndexReader.inMemory([
            Document(id: "ua-1", title: "Україна отримає ще дві системи Patriot", body: "Зеленський подякував партнерам за ракети."),
            Document(id: "ru-1", title: "Переговоры о ракетах", body: "Стороны обсудили поставки ракет и систем ПВО."),
            Document(id: "en-1", title: "Patriot deliveries", body: "The United States will send more Patriot missiles."),
        ])
        let results = try reader.search("ракета")
        for hit in results.hits {
            print(hit.id, hit.snippet)
        }
        var options = SearchOptions(limit: 5, highlight: .html)
        options.fields = ["title": 1]  // search only the title
        let titles = try reader.search("patriot", options: options)
        // end sample

        #expect(Set(results.hits.map(\.id)) == ["ua-1", "ru-1"])
        #expect(results.hits.allSatisfy { $0.snippet.contains("**ракет") })
        #expect(Set(titles.hits.map(\.id)) == ["ua-1", "en-1"])
        #expect(titles.hits.allSatisfy { $0.snippet.isEmpty || !$0.snippet.contains("**") })
    }

    @Test func gettingStartedWhatAHitCarries() throws {
        let reader = try IndexReader.inMemory([
            Document(id: "ua-1", title: "Україна отримає ще дві системи Patriot", body: "Зеленський подякував партнерам за ракети."),
            Document(id: "ru-1", title: "Переговоры о ракетах", body: "Стороны обсудили поставки ракет и систем ПВО."),
            Document(id: "en-1", title: "Patriot deliveries", body: "The United States will send more Patriot missiles."),
        ])
        // sample: GettingStarted / what a hit carries
        let ids = try reader.search("patriot", options: .idsOnly).map(\.id)
        let lean = SearchOptions(storedFields: ["title"], snippetFields: ["title", "body"])
        for hit in try reader.search("patriot", options: lean) {
            print(hit.title, hit.snippets["title"]?.text ?? "", hit.snippets["body"]?.text ?? "")
        }
        // end sample

        #expect(Set(ids) == ["ua-1", "en-1"])
        for hit in try reader.search("patriot", options: lean) {
            #expect(hit.document.fields.keys.sorted() == ["title"])
            #expect(hit.snippets["title"]?.text.contains("**Patriot**") == true)
            #expect(hit.snippet == hit.snippets["title"]?.text)
        }
    }

    @Test func gettingStartedUpdateAndDelete() throws {
        try withTemporaryDirectory { dir in
            // sample: GettingStarted / update and delete
            let indexPath = dir + "/notes.index"

            let writer = try IndexWriter(at: indexPath)
            try writer.add(Document(id: "note-1", title: "Draft", body: "First version"))
            try writer.add(Document(id: "note-2", title: "Old", body: "To be removed"))
            try writer.commit()

            try writer.add(Document(id: "note-1", title: "Final", body: "Second version"))  // same id: replaces
            try writer.delete(id: "note-2")
            try writer.commit()

            let reader = try writer.reader()  // or IndexReader.open(at: indexPath)
            print(reader.documentCount)  // 1
            print(try reader.document(id: "note-1")?.title ?? "-")  // Final
            // end sample

            #expect(reader.documentCount == 1)
            #expect(try reader.document(id: "note-1")?.title == "Final")
            #expect(try reader.document(id: "note-2") == nil)
            #expect(try reader.search("version").hits.map(\.id) == ["note-1"])
            #expect(try reader.search("first").total == 0)
            writer.close()
            #expect(try IndexReader.open(at: indexPath).documentCount == 1)
        }
    }

    @Test(.timeLimit(.minutes(5))) func gettingStartedServeWhileTheIndexChanges() throws {
        try withTemporaryDirectory { dir in
            // sample: GettingStarted / serve
            let indexPath = dir + "/live.index"

            let writer = try IndexWriter(at: indexPath)
            let manager = try IndexReaderManager(writer: writer)

            // In each request handler, from any thread or task:
            func handle(_ query: String) throws -> [String] {
                let reader = manager.reader  // one snapshot for the whole request
                return try reader.search(query).map(\.id)
            }

            // The writer's task: searches that start after `commit` returns see the document.
            try writer.add(Document(id: "n-1", title: "Patriot", body: "Delivered to Kyiv"))
            try writer.commit()
            print(try handle("patriot"))  // ["n-1"]

            // Near-real-time: documents not yet committed, with nothing written or synced.
            try writer.add(Document(id: "n-2", title: "Draft", body: "Not committed yet"))
            print(try writer.reader().count("draft"))  // 1

            // Another process that only reads: look for new commits twice a second.
            let follower = try IndexReaderManager(at: indexPath, checkEvery: .milliseconds(500))
            print(follower.reader.generation)  // 1
            // end sample

            #expect(try handle("patriot") == ["n-1"])
            #expect(try writer.reader().count("draft") == 1)
            #expect(try manager.reader.count("draft") == 0, "not committed")
            #expect(follower.reader.generation == 1)
            follower.stopChecking()
            writer.close()
        }
    }

    @Test func gettingStartedKeepAnIndexInSync() throws {
        try withTemporaryDirectory { dir in
            // sample: GettingStarted / sync
            let indexPath = dir + "/mirror.index"

            // The source: id → (modified, text). Here a dictionary; for you a table or a folder.
            let source: [String: (modified: Int, text: String)] = [
                "a": (3, "Patriot batteries"), "b": (5, "Air defense"), "c": (7, "Ракета"),
            ]

            let writer = try IndexWriter(at: indexPath)
            let reader = try writer.reader()
            let since = Int(reader.userData["synced-through"] ?? "") ?? 0
            let indexed = Set(try reader.documentIDs())

            for (id, item) in source where item.modified > since || !indexed.contains(id) {
                try writer.add(Document(id: id, body: item.text))  // new or changed: replaces by id
            }
            for id in indexed where source[id] == nil {
                try writer.delete(id: id)  // gone from the source
            }
            let newest = source.values.map(\.modified).max() ?? since
            try writer.commit(userData: ["synced-through": String(newest)])
            print(try IndexReader.open(at: indexPath).userData)  // ["synced-through": "7"]
            // end sample

            let after = try IndexReader.open(at: indexPath)
            #expect(after.userData == ["synced-through": "7"])
            #expect(try after.documentIDs() == ["a", "b", "c"])
            #expect(since == 0 && indexed.isEmpty)
            writer.close()
        }
    }

    // MARK: - Analysis.md

    @Test func analysisTerms() throws {
        // sample: Analysis / terms
        let analyzer = Analyzer()
        let a = analyzer.terms(of: "Ракеты Patriot’s")  // ["ракет", "patriot"]
        let b = analyzer.terms(of: "Ёлки за́мок")  // ["елк", "замок"]
        let c = analyzer.terms(of: "Зеленського м’ясо")  // ["зеленськ", "м'яс"]
        let d = analyzer.terms(of: "Пaтриoт Straße")  // ["патриот", "strass"]
        let e = analyzer.terms(of: "F-16 155mm")  // ["f", "16", "155mm"]
        // end sample

        #expect(a == ["ракет", "patriot"])
        #expect(b == ["елк", "замок"])
        #expect(c == ["зеленськ", "м'яс"])
        #expect(d == ["патриот", "strass"])
        #expect(e == ["f", "16", "155mm"])
    }

    @Test func analysisCJKBigrams() throws {
        // sample: Analysis / CJK bigrams
        let bigrams = Analyzer().terms(of: "中可能存在 text 日本語")
        // ["中可", "可能", "能存", "存在", "text", "日本", "本語"]
        let alone = Analyzer().terms(of: "中，文")  // ["中", "文"]
        // end sample

        #expect(bigrams == ["中可", "可能", "能存", "存在", "text", "日本", "本語"])
        #expect(alone == ["中", "文"])
    }

    @Test func analysisTokens() throws {
        // sample: Analysis / tokens
        for token in Analyzer().tokens(of: "Trump's café") {
            print(token.position, token.text, token.start..<token.end, token.term)
        }
        // 0 Trump's 0..<7 trump
        // 1 café 8..<13 cafe
        // end sample

        let tokens = Analyzer().tokens(of: "Trump's café")
        #expect(tokens.map(\.position) == [0, 1])
        #expect(tokens.map(\.text) == ["Trump's", "café"])
        #expect(tokens.map { $0.start..<$0.end } == [0..<7, 8..<13])
        #expect(tokens.map(\.term) == ["trump", "cafe"])
    }

    @Test func analysisStages() throws {
        // sample: Analysis / stages
        let segments = WordSegmenter().segments(of: "don’t stop")  // ["don’t", " ", "stop"]
        let folded = TokenNormalizer().normalize("Ёлка")  // "елка"
        let russian = RussianStemmer().stem("ракетами")  // "ракет"
        let ukrainian = UkrainianStemmer().stem("зеленського")  // "зеленськ"
        let english = EnglishStemmer().stem("running")  // "run"
        // end sample

        #expect(segments == ["don’t", " ", "stop"])
        #expect(folded == "елка")
        #expect(russian == "ракет")
        #expect(ukrainian == "зеленськ")
        #expect(english == "run")
    }

    @Test func analysisSchemaPerField() throws {
        try withTemporaryDirectory { dir in
            // sample: Analysis / schema
            let indexPath = dir + "/library.index"

            let schema = Schema(fields: [
                FieldOptions(name: "title", boost: 2, searchedByDefault: true),
                FieldOptions(
                    name: "body", searchedByDefault: true,
                    analyzer: AnalyzerConfiguration(stopWords: [.english, .russian])),
                FieldOptions(name: "tags", boost: 0.5, searchedByDefault: true, analyzer: .unstemmed),
                FieldOptions(
                    name: "author",
                    analyzer: AnalyzerConfiguration(stemming: false, normalization: NormalizationOptions(foldYo: false))),
            ])
            let writer = try IndexWriter(at: indexPath, schema: schema)
            try writer.add(
                Document(
                    id: "1", title: "Ёлки", body: "The trees of the park",
                    fields: ["tags": "running", "author": "Сёмин"]))
            try writer.commit()
            writer.close()

            let reader = try IndexReader.open(at: indexPath)  // the schema comes back from disk
            print(reader.analyzer(for: "body").terms(of: "The trees of the park"))  // ["tree", "park"]
            print(try reader.search("tags:running").total)  // 1
            print(try reader.search("tags:run").total)  // 0: tags are not stemmed
            print(try reader.search("author:Сёмин").total)  // 1
            print(try reader.search("author:Семин").total)  // 0: ё is kept in author
            // end sample

            #expect(reader.analyzer(for: "body").terms(of: "The trees of the park") == ["tree", "park"])
            #expect(try reader.search("tags:running").total == 1)
            #expect(try reader.search("tags:run").total == 0)
            #expect(try reader.search("author:Сёмин").total == 1)
            #expect(try reader.search("author:Семин").total == 0)
            for field in schema.fields {
                #expect(reader.analyzer(for: field.name).configuration == field.analyzer)
            }
            // Opening the index with another schema is refused; without one, the saved one is kept.
            #expect(throws: PoiskError.self) { try IndexWriter(at: indexPath, schema: .standard) }
            let again = try IndexWriter(at: indexPath)
            try again.add(Document(id: "2", fields: ["tags": "running"]))
            try again.commit()
            again.close()
            let reopened = try IndexReader.open(at: indexPath)
            #expect(try reopened.search("tags:run").total == 0)
            #expect(try reopened.search("tags:running").total == 2)
        }
    }

    // MARK: - Performance.md

    @Test func performanceWriterOptions() throws {
        try withTemporaryDirectory { dir in
            // sample: Performance / writer options
            let seedsPath = DocCSampleTests.seeds
            let indexPath = dir + "/big.index"

            var loader = DocumentLoader()
            let documents = try loader.load(paths: [seedsPath])
            let options = IndexWriterOptions(
                memoryBudgetBytes: 64 * 1024 * 1024,  // flush when about 32 MiB of text is buffered
                threads: 2,  // segments built in parallel at each flush
                mergeFactor: 10,  // 10 segments of one size tier are merged into one
                autoMerge: true)
            let writer = try IndexWriter(at: indexPath, options: options)
            try writer.add(contentsOf: documents)
            try writer.commit()
            try writer.merge(maxSegments: 1)  // optional: one segment, deleted documents dropped
            writer.close()
            // end sample

            let reader = try IndexReader.open(at: indexPath)
            #expect(reader.segmentCount == 1)
            #expect(reader.documentCount == documents.count)
            #expect(reader.statistics.deleted == 0)
            #expect(try reader.search("patriot").total == 4)
        }
    }

    @Test func performanceSharedSnapshot() async throws {
        let dir = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var loader = DocumentLoader()
        let setup = try IndexWriter(at: dir + "/news.index")
        try setup.add(contentsOf: loader.load(paths: [DocCSampleTests.seeds]))
        try await setup.commit()
        setup.close()

        // sample: Performance / shared snapshot
        let indexPath = dir + "/news.index"

        let reader = try await IndexReader.open(at: indexPath)  // open once, share everywhere
        let queries = ["patriot", "ukraine OR україна", "\"air defense\""]
        let totals = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for query in queries {
                group.addTask { (query, try await reader.search(query).total) }
            }
            var totals: [String: Int] = [:]
            for try await (query, total) in group { totals[query] = total }
            return totals
        }

        let writer = try IndexWriter(at: indexPath)
        try writer.add(Document(id: "breaking", title: "Patriot", body: "A new article."))
        try await writer.commit()  // in async code, the async overloads: no blocked threads
        let fresh = try await IndexReader.open(at: indexPath)  // sees the commit
        print(reader.documentCount, fresh.documentCount)  // 5 6: the old snapshot is unchanged
        // end sample

        #expect(totals["patriot"] == 4)
        #expect((totals["ukraine OR україна"] ?? 0) >= 4)
        #expect((totals["\"air defense\""] ?? 0) >= 1)
        #expect(reader.documentCount == 5)
        #expect(fresh.documentCount == 6)
        // The old snapshot still searches after the writer merged its segments away.
        try await writer.merge(maxSegments: 1)
        writer.close()
        #expect(try await reader.search("patriot").total == 4)
        #expect(try await IndexReader.open(at: indexPath).search("patriot").total == 5)
    }

    @Test func performancePruning() throws {
        let reader = try IndexReader.inMemory(try DocumentLoader().loadingSeeds())
        // sample: Performance / pruning
        let query = "patriot OR ukraine OR trump"
        let exact = try reader.search(query, options: SearchOptions(limit: 3))
        var options = SearchOptions(limit: 3)
        options.exactTotal = false  // Block-Max WAND: skip what cannot reach the top 3
        let pruned = try reader.search(query, options: options)
        print(exact.total, exact.totalIsExact)  // every match, true
        print(pruned.total, pruned.totalIsExact)  // a lower bound, false
        print(pruned.hits.map(\.id) == exact.hits.map(\.id))  // true
        // end sample

        #expect(exact.totalIsExact)
        #expect(exact.total == 5)
        #expect(!pruned.totalIsExact)
        #expect(pruned.total <= exact.total && pruned.total >= 3)
        #expect(pruned.hits.map(\.id) == exact.hits.map(\.id))
        #expect(pruned.hits.map(\.score) == exact.hits.map(\.score))
    }

    @Test func performanceCountAndSmallPages() throws {
        let reader = try IndexReader.inMemory(try DocumentLoader().loadingSeeds())
        // sample: Performance / count
        let query = try QueryParser().parse("patriot")
        let howMany = try reader.count(query)  // no scores, no stored fields, no snippets
        let ids = try reader.search(query, options: .idsOnly)  // ids and scores
        let firstPage = try reader.search(query, options: SearchOptions(limit: 3, highlight: .none))
        // end sample

        #expect(howMany == 4)
        #expect(ids.hits.map(\.id) == (try reader.search(query)).hits.map(\.id))
        #expect(ids.hits.allSatisfy { $0.document.fields.isEmpty && $0.snippet.isEmpty })
        #expect(firstPage.total == 4)
        #expect(firstPage.hits.count == 3)
        #expect(firstPage.hits.allSatisfy { !$0.snippet.contains("**") })
    }

    // MARK: - The articles hold exactly this code

    // MARK: - TypedFields.md

    @Test func typedFieldsNotes() throws {
        try withTemporaryDirectory { dir in
            let notesPath = dir + "/notes"
            try FileManager.default.createDirectory(atPath: notesPath, withIntermediateDirectories: true)
            for (name, text) in [
                ("kyiv.md", "---\ntitle: Kyiv in July\ndate: 2025-07-08\ntags: [ukraine, travel]\n---\nTrains and museums."),
                ("lviv.md", "---\ndate: 2025-07-20\ntags: [ukraine, coffee]\n---\n# Lviv\n\nCoffee, trains at night."),
                ("draft.md", "---\ntitle: Unfinished\ndate: 2025-07-10\ntags: [ukraine]\ndraft: true\n---\nTrains, someday."),
                ("oslo.md", "---\ntitle: Oslo\ndate: 2025-07-15\ntags: [norway, travel]\n---\nFjords and trains."),
            ] {
                try text.write(toFile: notesPath + "/" + name, atomically: true, encoding: .utf8)
            }
            let indexPath = dir + "/notes.index"
            // sample: TypedFields / index notes
            let schema = Schema(fields: [
                .text("title", boost: 2), .text("body"),
                .keyword("tags"), .date("date"), .boolean("draft"),
            ])
            var loader = DocumentLoader()
            loader.schema = schema
            let writer = try IndexWriter(at: indexPath, schema: schema)
            try writer.add(contentsOf: loader.load(paths: [notesPath]))
            try writer.add(
                Document(
                    id: "inbox/call.md", title: "Call about the trip", body: "Trains to Kyiv, tickets.",
                    values: ["tags": .keywords(["ukraine", "todo"]), "date": .keyword("2025-07-21"), "draft": .boolean(false)]))
            try writer.commit()
            writer.close()
            // end sample

            // sample: TypedFields / filter, sort, count
            let reader = try IndexReader.open(at: indexPath)
            var options = SearchOptions(
                limit: 10, sort: [SortField("date", descending: true)], facets: [.values("tags", limit: 5)])
            let july = try reader.search(
                "trains AND tags:ukraine AND date:[2025-07-01 TO 2025-07-31] AND -draft:true", options: options)
            for hit in july.hits {
                let date = hit.sortValues.first ?? nil
                print(date.map { "\($0)" } ?? "-", hit.id, hit.title)
            }
            for count in july.facet("tags")?.counts ?? [] {
                print(count.value, count.count)
            }
            // end sample

            #expect(july.hits.map(\.id) == ["inbox/call.md", "lviv.md", "kyiv.md"])
            #expect(july.hits.map(\.title) == ["Call about the trip", "Lviv", "Kyiv in July"])
            #expect(july.hits.first?.sortValues == [.date(ISODate.parse("2025-07-21") ?? 0)])
            #expect(july.facet("tags")?.counts.map(\.value) == ["ukraine", "coffee", "todo", "travel"])
            #expect(july.facet("tags")?.counts.map(\.count) == [3, 1, 1, 1])

            // sample: TypedFields / deep pages
            options.limit = 2
            var page = try reader.search("*:*", options: options)
            var seen = page.hits.map(\.id)
            while let cursor = page.nextCursor {
                options.searchAfter = cursor
                page = try reader.search("*:*", options: options)
                seen += page.hits.map(\.id)
            }
            print(seen.count)  // every document, two at a time
            // end sample

            #expect(seen == ["inbox/call.md", "lviv.md", "oslo.md", "draft.md", "kyiv.md"])
        }
    }

    @Test func articleSamplesMatchThisFile() throws {
        let here = URL(fileURLWithPath: #filePath)
        let docc = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Poisk/Poisk.docc")
        let source = try String(contentsOf: here, encoding: .utf8)
        let testLines = DocCSampleTests.comparable(source)
        var checked = 0
        for article in DocCSampleTests.articles {
            let text = try String(contentsOf: docc.appendingPathComponent(article), encoding: .utf8)
            for block in DocCSampleTests.swiftBlocks(text) where !block.contains("import PackageDescription") {
                let lines = DocCSampleTests.comparable(block)
                let found = DocCSampleTests.containsInOrder(testLines, lines)
                #expect(found, "\(article): this Swift block is not in DocCSampleTests.swift:\n\(block)")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    /// The bodies of the ```swift blocks of a Markdown text.
    static func swiftBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append((current ?? []).joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The trimmed, non-blank lines of `code`, without the lines that differ between the articles
    /// and this file by design: those setting `indexPath`, `seedsPath` and `notesPath`, and
    /// `import Poisk`.
    static func comparable(_ code: String) -> [String] {
        code.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && $0 != "import Poisk" && !$0.hasPrefix("let indexPath =") && !$0.hasPrefix("let seedsPath =")
                && !$0.hasPrefix("let notesPath =")
        }
    }

    /// Whether `needle` occurs in `lines` as consecutive lines.
    static func containsInOrder(_ lines: [String], _ needle: [String]) -> Bool {
        guard !needle.isEmpty, lines.count >= needle.count else { return needle.isEmpty }
        for start in 0...(lines.count - needle.count) where Array(lines[start..<start + needle.count]) == needle {
            return true
        }
        return false
    }
}

extension DocumentLoader {
    /// The seed articles (a helper of these tests, not part of any sample).
    fileprivate func loadingSeeds() throws -> [Document] {
        var loader = self
        return try loader.load(paths: [DocCSampleTests.seeds])
    }
}
