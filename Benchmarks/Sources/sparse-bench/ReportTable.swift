import Foundation

extension Report {
    /// The report as a readable plain-text table.
    var table: String {
        let p = problem
        var lines = [
            "sparse-bench: 5-point grid Laplacian + I on a \(p.gridSide)×\(p.gridSide) grid",
            "  n = \(p.unknowns), nnz(A) = \(p.nonzeros), X and Y n×\(p.denseColumns) column-major, \(p.cores) cores",
            "  times in ms from ContinuousClock (monotonic); products: \(p.repetitions) timed runs after 1 warm-up",
            "",
            row("kernel", "median ms", "min ms", "runs", "notes"),
            row(product.library, "A·X    library multiply", "\(rate(product)); bytes/s of the library call"),
        ]
        if let direct = product.direct {
            lines.append(row(direct, "A·X    direct cholmod_l_sdmult", "same arrays, alternated with the line above"))
        }
        if let copy {
            lines.append(row(copy.timing, "copy of X into Y (memcpy)", "\(fixed(copy.gigabytesPerSecond, 2)) GB/s read + write"))
        }
        if let ratio = product.libraryOverDirect {
            lines.append("  split over \(p.cores) threads / one direct call (ratio of medians) = \(fixed(ratio, 3))"
                         + (product.bitIdentical.map { ", Y bit-identical: \($0)" } ?? ""))
        }
        if let ratios = product.cpuOverWall, ratios.count == 2 {
            lines.append("  CPU time / wall time: split \(fixed(ratios[0], 2)), one call \(fixed(ratios[1], 2))")
        }
        lines += [
            row(transposedProduct.library, "Aᵀ·X   library multiply", rate(transposedProduct)),
            row(sampledProduct, "SDDMM  sampledProduct, inner \(p.denseColumns)",
                "\(fixed(sampledGBPerSecond, 2)) GB/s of \(sampledTrafficFormula)"),
            row("Cholesky analysis", fixed(cholesky.analysisMs, 1), "", "1", "SparseCholesky(pattern:context:)"),
            row(cholesky.factorize, "Cholesky factorize(values:)", "numeric factorization"),
            row(cholesky.solve, "Cholesky solve, 1 rhs", "residual ‖Ax−b‖∞/‖b‖∞ = \(scientific(cholesky.relativeResidual))"),
            "",
            "nnz(L) = \(cholesky.factorNonzeros), factor = \(cholesky.factorBytes) bytes "
                + "(\(fixed(Double(cholesky.factorBytes) / 1_048_576, 1)) MiB), supernodal = \(cholesky.supernodal)",
            "bytes per product = \(trafficFormula) = \(product.bytesPerCall)",
            "",
            "ordering            nnz(L)     GFLOP   factor MiB   analyse s   factorize s",
        ]
        for (o, bytes) in orderings.map({ ($0.entry, $0.factorBytes) }) {
            lines.append(o.ordering.padding(toLength: 18, withPad: " ", startingAt: 0) + pad("\(o.nnzL)", 10)
                         + pad(fixed(o.flops / 1e9, 1), 10) + pad(fixed(Double(bytes) / 1_048_576, 0), 13)
                         + pad(fixed(o.analyzeSeconds, 2), 12) + pad(fixed(o.factorizeSeconds, 2), 14))
        }
        lines.append("")
        for (l, e) in logdet.map({ ($0, $0.entry) }) {
            lines.append("logdet gradient m = \(e.m) (\(l.ordering), nnz(L) = \(l.nnzL)): \(fixed(e.seconds, 3)) s, "
                         + "one factorization \(fixed(e.factorizeSeconds, 3)) s, ratio \(fixed(e.seconds / e.factorizeSeconds, 2))")
        }
        if let t = threads {
            lines += [
                "",
                "OpenBLAS (\(t.openBLASThreads) threads) and the worker pool, interleaved:",
                row(t.productAfterFactorization, "A·X right after a factorization", "m = \(t.factorSide) factorization just before"),
                row(t.productAfterProduct, "A·X right after an A·X", ""),
                row(t.factorizeDefaultThreads, "factorize m = \(t.factorSide), OpenBLAS default", ""),
                row(t.factorizeOneThread, "factorize m = \(t.factorSide), OpenBLAS 1 thread", ""),
            ]
        }
        lines += [
            "total run time \(fixed(totalSeconds, 1)) s",
        ]
        return lines.joined(separator: "\n")
    }

    private func row(_ timing: Timing, _ name: String, _ note: String) -> String {
        row(name, fixed(timing.medianMs, 2), fixed(timing.minMs, 2), "\(timing.runs)", note)
    }

    private func row(_ name: String, _ median: String, _ min: String, _ runs: String, _ note: String) -> String {
        name.padding(toLength: 36, withPad: " ", startingAt: 0) + pad(median, 11) + pad(min, 11)
            + pad(runs, 6) + "   " + note
    }

    private func rate(_ timing: ProductTiming) -> String { "\(fixed(timing.libraryGBPerSecond, 2)) GB/s" }
}

private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

private func scientific(_ value: Double) -> String { String(format: "%.1e", value) }
