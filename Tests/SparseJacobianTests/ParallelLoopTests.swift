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
}
