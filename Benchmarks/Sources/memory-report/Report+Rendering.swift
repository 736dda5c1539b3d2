import Engine
import Foundation

extension Report {
    static let recipes = """
    Helpers: sinseq(n, a, b, scale=1, shift=0)[k] = shift + scale·sin(a·k + b); weyl(n, s)[k] = frac(0.6180339887498949·k + s) \
    (multiply, add, floor, subtract; no fused multiply-add); centered(n, s, c) = c·(2·weyl(n, s) − 1); matrices are filled \
    row-major from a flat index k.

    - **W1**, elementwise chain, n = 2,000,000, L = 16: y0 = x; y_{k+1} = tanh(a_k·y_k + b_k); loss = Σ y_L². Gradients for x, a, b. \
    x = sinseq(n, 0.37, 0.1); a[k] = 1 + 0.2·cos(0.5k); b[k] = 0.1·sin(0.7k + 0.3).
    - **W2**, dense MLP, B = 512, D = 1024, 4 hidden layers of width 1024, C = 10: h_{l+1} = relu(h_l·W_l + b_l); logits = h4·W4 + b4; \
    loss = mean over rows of (logsumexp(logits_i) − logits_i[y_i]). Gradients for all W_l, b_l. X = centered(B·D, 0.1, 1); \
    W_l = centered(fan_in·fan_out, 0.2 + 0.1·l, sqrt(6/fan_in)); b_l = sinseq(fan_out, 0.37, 0.1 + l, scale 0.01); y[i] = (7i + 3) mod 10.
    - **W3**, sparse graph layer on an m×m grid (m = 1000 and 100), F = 16: row i of A holds columns i−m, i−1, i, i+1, i+m where \
    they exist; edge e (row-major order) has weight w[e] = 0.2 + 0.02·sin(0.37e + 0.1), differentiable. Z = A·X; H = relu(Z·W1); \
    out = (A·H)·W2; loss = Σ out². Gradients for X, W1, W2, w. X = centered(n·F, 0.1, 1); W1 = centered(F·F, 0.3, sqrt(6/F)); \
    W2 = centered(F, 0.5, sqrt(6/F)).
    - **W4**, sparse SPD solve on the same grid (m = 1000 and 300): Lap has 4 on the diagonal and −1 per grid neighbour; \
    A = Lap + diag(exp θ); x = A⁻¹·b; loss = Σ (x − t)². Gradients for θ and b. θ = sinseq(n, 0.37, 0.1, shift −2); \
    b = sinseq(n, 0.13, 0.2); t = sinseq(n, 0.029, 0.3, scale 0.1).
    """

    static let definitions = """
    Lower bound: the most bytes live at any one step of the schedule. Planned: the arena the planner chose (best of greedy by \
    size, greedy by breadth, greedy by area, first fit by start, no reuse). Eager: a first-fit allocator that allocates each buffer \
    at its first write and frees it after its last read, simulated over the same steps. Naive: every buffer its own memory. \
    Peak RSS: the rise of the process's peak resident set (VmHWM, reset through /proc/self/clear_refs) over the first run of a \
    freshly built program, inputs and result storage already resident. It counts pages the run touches: a Cholesky factor's \
    symbolic part is made when the program is built (before the run), so only its numeric part shows; and the eager run's \
    returned gradients, allocated at the start of the run, are not resident until their first write, so the eager run can \
    stay below the simulated eager figure. Checksums are over the row-major flattening.
    """

    func markdown() -> String {
        var out = ["# Memory report", "", "Machine: \(machineLine).", "", "Command: `make report`; whole run \(s(totalSeconds)).", "",
                   "## Memory by strategy", "", table(memoryTable), "## Measured resident memory", "", table(residentTable),
                   "## Time", "", table(timeTable)]
        if let peerTable {
            out += ["## Peers (report/peers.json)", "", table(peerTable)]
        } else {
            out += ["## Peers", "", "report/peers.json is absent: run `make peers` to put NumPy, JAX and PyTorch beside these figures.", ""]
        }
        out += ["## Gradient checksums", "", table(checksumTable), "## Definitions", "", Self.definitions, "", "## Inputs", "", Self.recipes, "",
                "## Each model's plan", ""]
        out += models.map { $0.memory.markdown() }
        return out.joined(separator: "\n")
    }

    private func table(_ t: Table) -> String {
        let escape = { (cell: String) in cell.replacingOccurrences(of: "|", with: "\\|") }
        return (["| " + t.header.map(escape).joined(separator: " | ") + " |", "|" + t.header.map { _ in " --- |" }.joined()]
            + t.rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }).joined(separator: "\n") + "\n"
    }

    func html() -> String {
        func htmlTable(_ t: Table) -> String {
            "<table><thead><tr>" + t.header.map { "<th>\(MemoryReport.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
                + t.rows.map { "<tr>" + $0.map { "<td>\(MemoryReport.escape($0))</td>" }.joined() + "</tr>" }.joined()
                + "</tbody></table>"
        }
        var body = ["<h1>Memory report</h1>", "<p>Machine: \(MemoryReport.escape(machineLine)).</p>",
                    "<p>Command: <code>make report</code>; whole run \(s(totalSeconds)).</p>",
                    "<h2>Memory timelines</h2>", "<p>Bytes in use at each step of the schedule under each strategy; the dashed line "
                        + "separates the forward pass from the backward pass.</p>"]
        body += models.map { "<figure>\($0.memory.svg())</figure>" }
        body += ["<h2>Memory by strategy</h2>", htmlTable(memoryTable), "<h2>Measured resident memory</h2>", htmlTable(residentTable),
                 "<h2>Time</h2>", htmlTable(timeTable)]
        if let peerTable { body += ["<h2>Peers</h2>", htmlTable(peerTable)] }
        body += ["<h2>Gradient checksums</h2>", htmlTable(checksumTable), "<h2>Definitions</h2>",
                 "<p>\(MemoryReport.escape(Self.definitions))</p>", "<h2>Inputs</h2>",
                 "<pre>\(MemoryReport.escape(Self.recipes))</pre>"]
        let style = """
        body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        figure { margin: 1em 0; } pre { white-space: pre-wrap; font-size: 12px; }
        """
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Memory report</title><style>\(style)</style></head><body>\n"
            + body.joined(separator: "\n") + "\n</body></html>\n"
    }
}
