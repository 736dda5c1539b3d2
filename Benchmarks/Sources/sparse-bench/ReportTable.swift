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
        if let ratio = product.libraryOverDirect {
            lines.append("  library / direct (ratio of medians) = \(fixed(ratio, 3))"
                         + (product.maxAbsDifference.map { ", max |Y_lib − Y_direct| = \($0)" } ?? ""))
        }
        lines += [
            row(transposedProduct.library, "Aᵀ·X   library multiply", rate(transposedProduct)),
            row(sampledProduct, "SDDMM  sampledProduct, inner \(p.denseColumns)", "library kernel, threads over columns"),
            row("Cholesky analysis", fixed(cholesky.analysisMs, 1), "", "1", "SparseCholesky(pattern:context:)"),
            row(cholesky.factorize, "Cholesky factorize(values:)", "numeric factorization"),
            row(cholesky.solve, "Cholesky solve, 1 rhs", "residual ‖Ax−b‖∞/‖b‖∞ = \(scientific(cholesky.relativeResidual))"),
            "",
            "nnz(L) = \(cholesky.factorNonzeros), factor = \(cholesky.factorBytes) bytes "
                + "(\(fixed(Double(cholesky.factorBytes) / 1_048_576, 1)) MiB), supernodal = \(cholesky.supernodal)",
            "bytes per product = \(trafficFormula) = \(product.bytesPerCall)",
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
