import SparseJacobian
import Testing

@Suite struct ParallelLoopTests {
    @Test func everyPartRunsOnce() {
        let loop = ParallelLoop.shared
        for parts in [0, 1, 2, 3, 7, 64] {
            var hits = [Int](repeating: 0, count: parts)
            hits.withUnsafeMutableBufferPointer { h in
                let base = h.baseAddress
                loop.run(parts: parts) { part in base![part] += 1 }  // parts write disjoint slots
            }
            #expect(hits.allSatisfy { $0 == 1 })
        }
    }

    @Test func rangesCoverTheCountWithoutOverlap() {
        var covered = [Int](repeating: 0, count: 100_003)
        covered.withUnsafeMutableBufferPointer { c in
            let base = c.baseAddress!
            ParallelLoop.shared.forEachRange(count: 100_003, minimumCount: 1000) { range in
                for k in range { base[k] += 1 }
            }
        }
        #expect(covered.allSatisfy { $0 == 1 })
    }

    @Test func nestedRunsFinishSerially() {
        var total = [Int](repeating: 0, count: 4)
        total.withUnsafeMutableBufferPointer { t in
            let base = t.baseAddress!
            ParallelLoop.shared.run(parts: 2) { outer in
                ParallelLoop.shared.run(parts: 2) { inner in base[outer * 2 + inner] += 1 }
            }
        }
        #expect(total == [1, 1, 1, 1])
    }

    @Test func manyShortRunsInARow() {
        var sum = 0
        for _ in 0..<2000 {
            var parts = [0, 0]
            parts.withUnsafeMutableBufferPointer { p in
                let base = p.baseAddress!
                ParallelLoop.shared.run(parts: 2) { base[$0] = $0 + 1 }
            }
            sum += parts[0] + parts[1]
        }
        #expect(sum == 6000)
    }

    /// Callers on several threads at once: each run gets every part once, whether
    /// it finds the pool free or runs serially, and a worker that wakes after its
    /// run ended (the caller took every part) joins a later run or none.
    @Test func concurrentCallersEachGetEveryPart() async {
        let totals = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<4 {
                group.addTask {
                    var total = 0
                    for run in 0..<500 {
                        let parts = 1 + (caller + run) % 5
                        var hits = [Int](repeating: 0, count: parts)
                        hits.withUnsafeMutableBufferPointer { h in
                            let base = h.baseAddress!
                            ParallelLoop.shared.run(parts: parts) { base[$0] += 1 }
                        }
                        total += hits.allSatisfy { $0 == 1 } ? parts : -1_000_000
                    }
                    return total
                }
            }
            var totals = [Int]()
            for await total in group { totals.append(total) }
            return totals
        }
        var expected = 0
        for caller in 0..<4 { for run in 0..<500 { expected += 1 + (caller + run) % 5 } }
        #expect(totals.count == 4)
        #expect(totals.reduce(0, +) == expected)
    }
}
