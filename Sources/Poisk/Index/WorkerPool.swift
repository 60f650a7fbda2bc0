// The writer's own threads for the parallel part of a flush, started with the writer and parked
// between flushes (as Tantivy's index writer keeps its indexing threads).
//
// For: `IndexWriter`'s flush, which must get every core at once. Not for: the readers, which never
// start threads.
//
// Why not Dispatch's `concurrentPerform`, nor threads started at the flush: Linux places a new
// thread on a core when it is created, from its load statistics, and can put it on the creator's
// busy core, where the two share it until the balancer moves one of them, so the second builder
// starts late (the traces are in Benchmarks/README.md). Dispatch creates its pool threads the same
// way whenever it decides it needs one. A parked thread, when woken, is put on an idle core.

import Foundation

final class WorkerPool: @unchecked Sendable {
    // Everything below is guarded by `condition`, except `threads` (touched by init and
    // `shutdown` only, on the owner's thread).
    private let condition = NSCondition()
    private var job: (@Sendable (Int) -> Void)?
    /// Helpers `1...participants` take part in the current job.
    private var participants = 0
    /// Incremented for each job; a helper runs a job once, when it sees a new generation.
    private var generation = 0
    /// Helpers of the current job that have not finished it.
    private var remaining = 0
    private var stopping = false
    private var threads: [SystemThread] = []

    /// Threads besides the caller's.
    var helperCount: Int { threads.count }

    /// Starts `helpers` parked threads (fewer if the system refuses some: `run` then does their
    /// share on the calling thread), each with a stack of `SystemThread.stackSize` and, on
    /// Darwin, the caller's quality of service. The owner stops them with ``shutdown()``: each
    /// holds the pool until then.
    init(helpers: Int) {
        guard helpers > 0 else { return }
        for index in 1...helpers {
            guard let thread = SystemThread.start({ [self] in helperLoop(index) }) else { break }
            threads.append(thread)
        }
    }

    /// Runs `body(0)`, …, `body(count − 1)` at the same time: `body(0)` on the calling thread,
    /// the others on parked helpers, and returns when all have returned. Indices without a
    /// helper run on the calling thread after `body(0)`, so every index runs exactly once.
    /// One job at a time (the writer calls it under its lock).
    /// - Parameters:
    ///   - count: the number of calls (none when `count` ≤ 0).
    ///   - body: the work of one index; it must not wait for another index to start.
    func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let helpers = min(count - 1, threads.count)
        if helpers > 0 {
            condition.lock()
            job = body
            participants = helpers
            remaining = helpers
            generation += 1
            condition.broadcast()
            condition.unlock()
        }
        body(0)
        for index in (helpers + 1)..<count { body(index) }
        if helpers > 0 {
            condition.lock()
            while remaining > 0 { condition.wait() }
            job = nil
            condition.unlock()
        }
    }

    /// Stops and joins the helpers (idempotent).
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        for thread in threads { thread.join() }
        threads.removeAll()
    }

    private func helperLoop(_ index: Int) {
        var seen = 0
        condition.lock()
        while true {
            while !stopping && generation == seen { condition.wait() }
            if stopping { break }
            seen = generation
            guard index <= participants, job != nil else { continue }
            do {
                // The job is let go of at the end of this scope, before it counts as done: the
                // caller still holds it then, so this is never the last reference (which could
                // run the writer's deinit, and its `shutdown`, on this thread).
                let body = job
                condition.unlock()
                body?(index)
            }
            condition.lock()
            remaining -= 1
            if remaining == 0 { condition.broadcast() }
        }
        condition.unlock()
    }
}
