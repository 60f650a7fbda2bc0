// The writer's parked helper threads: every index of a job runs exactly once, job after job.

import PoiskTestSupport
import Foundation
import Testing

@testable import Poisk

@Suite struct WorkerPoolTests {
    @Test(arguments: [0, 1, 3])
    func everyIndexRunsOnceInEveryJob(helpers: Int) {
        let pool = WorkerPool(helpers: helpers)
        defer { pool.shutdown() }
        #expect(pool.helperCount == helpers)
        for job in 0..<40 {
            let count = job % 7  // 0 to 6 indices: fewer, as many and more than the threads
            let seen = Protected<[Int]>([])
            pool.run(count) { index in seen.withLock { $0.append(index) } }
            #expect(seen.withLock { $0.sorted() } == Array(0..<count), "job \(job)")
        }
    }

    @Test func indexZeroRunsOnTheCallerAndTheOthersOnHelpers() {
        let pool = WorkerPool(helpers: 2)
        defer { pool.shutdown() }
        let caller = SystemThread.current
        let onCaller = Protected<[Int: Bool]>([:])
        pool.run(3) { index in
            let here = SystemThread.current == caller
            onCaller.withLock { $0[index] = here }
        }
        #expect(onCaller.withLock { $0 } == [0: true, 1: false, 2: false])
    }

    @Test func afterShutdownTheCallerRunsEverything() {
        let pool = WorkerPool(helpers: 2)
        pool.shutdown()
        pool.shutdown()  // idempotent
        #expect(pool.helperCount == 0)
        let seen = Protected<[Int]>([])
        pool.run(4) { index in seen.withLock { $0.append(index) } }
        #expect(seen.withLock { $0 } == [0, 1, 2, 3])
    }

    @Test func writersStopTheirHelpersWhenClosedOrReleased() throws {
        try withTemporaryDirectory { dir in
            for round in 0..<3 {
                let writer = try IndexWriter(at: dir, options: IndexWriterOptions(threads: 3, autoMerge: false))
                try writer.add(
                    contentsOf: (0..<200).map { Document(id: "r\(round)-\($0)", title: "", body: "word \($0)") })
                try writer.commit()
                if round.isMultiple(of: 2) { writer.close() }
            }
            #expect(try IndexReader.open(at: dir).documentCount == 600)
        }
    }
}
