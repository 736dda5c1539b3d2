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

    /// What each figure means; the strategies named are those the planner ran.
    var definitions: String {
        """
        **Workspace**: the rise of the process's peak resident set (VmHWM, reset through /proc/self/clear_refs) over one \
        forward and backward pass of a freshly built program, minus the bytes of the gradients it returns; the inputs are \
        allocated and resident before it is measured, and the run allocates the result it returns. A warm-up run of another \
        program of the model comes first, as the peers' warm-up call does, so that what the process sets up once (OpenBLAS's \
        buffers) is resident. Every peer is measured the same way (Benchmarks/peers/common.py). **Budget sweep**: the model \
        built under each save policy (`SavePolicy`: save everything, automatic, two budgets between, minimum memory), each \
        program's workspace from its own first run, the medians from timed runs of all of them interleaved. **Baseline**: the same model built with `ProgramOptions(optimizeMemory: false)`, \
        the schedule without its memory optimizations, measured in the same run; its timed runs alternate with the planned \
        program's. **Peak RSS**: the same rise without subtracting the gradients.

        **Lower bound**: the most bytes live at any one step of the schedule; no placement needs less. **Arena**: the planned \
        arena, the smallest of the strategies the planner ran (\(strategies.map { "`\($0)`" }.joined(separator: ", "))); the \
        one kept is named. **Eager (simulated)**: a first-fit allocator that allocates each buffer at its first write and \
        frees it after its last read, over the same steps. **Naive**: the sum of every buffer's size (rounded to its \
        alignment), as if none shared memory. The `noReuse` strategy differs from it: it gives each unit its own slot, a unit \
        being a buffer or a chain of buffers that take each other over in place, so it keeps the in-place takeovers. A Cholesky factor's symbolic part is made when the program is built, before the run, so only its numeric part \
        counts; the eager run's returned gradients are allocated at the start of the run but not resident until their first \
        write, so the eager run can stay below the simulated eager figure.

        **Best of a peer**: among the configurations a peer ran (report/peers.json), the one with the least workspace and the \
        one with the least median time, each named. A peer's workspace is taken on the run after its warm-up call (which \
        compiles); a runtime that keeps the warm-up's memory in its own pool (XLA's, under JAX) reuses it without new \
        resident pages, so its figure can read lower than what it uses, down to 0 B. An iterative peer (JAX's conjugate \
        gradients) agrees with the direct solvers to its tolerance (1e-10 relative to Σ|g| here), not to rounding. \
        Checksums are over the row-major flattening.
        """
    }

    func markdown() -> String {
        var out = ["# Memory report", "", "Machine: \(machineLine).", "", "Command: `make report`; whole run \(s(totalSeconds)). "
                   + "The charts are in index.html.", ""]
        if peers != nil {
            out += ["## Workspace: this library, its baseline and the best of each peer", "", table(bestWorkspaceTable),
                    "## Time (forward + backward, median): this library, its baseline and the best of each peer", "", table(bestTimeTable)]
        }
        out += ["## Workspace and resident memory", "", table(residentTable), "## Time", "", table(timeTable),
                "## Memory by strategy", "", table(memoryTable)]
        if let peerTable {
            out += ["## Peers, every configuration (report/peers.json)", "", table(peerTable)]
        } else {
            out += ["## Peers", "", "report/peers.json is absent: run `make peers` to put NumPy, JAX and PyTorch beside these figures.", ""]
        }
        if let sweep = budgetSweepTable { out += ["## Memory–time under a budget", "", table(sweep)] }
        out += ["## Gradient checksums", "", table(checksumTable), "## Definitions", "", definitions, "", "## Inputs", "", Self.recipes, "",
                "## Each model's plan", ""]
        out += models.map { $0.memory.markdown() }
        return out.joined(separator: "\n")
    }

    /// The budget sweep's points, once measured (nil while no model has them).
    var budgetSweepTable: Table? {
        let rows = models.flatMap { r in
            (r.budgetSweep ?? []).map {
                [r.label, $0.policy, $0.budgetBytes.map(f) ?? "–", f($0.arenaBytes), $0.workspaceBytes.map(f) ?? "n/a",
                 $0.recomputedBytes.map(f) ?? "–", s($0.medianSeconds)]
            }
        }
        return rows.isEmpty ? nil : (["model", "policy", "budget", "arena", "workspace", "recomputed", "fwd+bwd median"], rows)
    }

    private func table(_ t: Table) -> String {
        let escape = { (cell: String) in cell.replacingOccurrences(of: "|", with: "\\|") }
        return (["| " + t.header.map(escape).joined(separator: " | ") + " |", "|" + t.header.map { _ in " --- |" }.joined()]
            + t.rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }).joined(separator: "\n") + "\n"
    }

    /// A cell that holds a figure (right-aligned): starts with a digit, a sign or a dash placeholder.
    private static func isFigure(_ cell: String) -> Bool {
        guard let first = cell.first else { return false }
        return first.isNumber || cell == "—" || cell == "n/a" || (first == "-" && cell.dropFirst().first?.isNumber == true)
    }

    private func htmlTable(_ t: Table, id: String? = nil) -> String {
        "<div class=\"scroll\"><table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>"
            + t.header.map { "<th>\(MemoryReport.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
            + t.rows.map { "<tr>" + $0.map { "<td\(Self.isFigure($0) ? " class=\"num\"" : "")>\(MemoryReport.escape($0))</td>" }.joined()
                + "</tr>" }.joined()
            + "</tbody></table></div>"
    }

    /// One bar per implementation and configuration for one model: this library,
    /// its baseline, then every configuration of every peer.
    func comparisonChart(_ r: ModelResult, title: String, quantity: BarChart.Quantity,
                         ours: Double?, baseline: Double?, peer value: (Peers.Model) -> Double?) -> BarChart {
        var bars = [BarChart.Bar(label: "this library", value: ours, missing: "not measured", color: "#08519c", emphasized: true),
                    .init(label: "this library, baseline", value: baseline, missing: "not measured", color: "#9ecae1")]
        let palette = ["numpy": "#74c476", "jax": "#fd8d3c", "pytorch": "#9e9ac8"]
        for peer in peers?.peers ?? [] {
            let color = palette.first { peer.implementation.hasPrefix($0.key) }?.value ?? "#bdbdbd"
            guard peer.models != nil else {
                bars.append(.init(label: peer.implementation, value: nil, missing: "failed to run", color: color))
                continue
            }
            for m in peers!.configurations(of: peer, model: r.model, variant: r.variant) {
                bars.append(.init(label: "\(peer.implementation), \(m.configurationName)", value: m.supported ? value(m) : nil,
                                  missing: m.supported ? "not measured" : "cannot run", color: color))
            }
        }
        return BarChart(title: title, quantity: quantity, bars: bars)
    }

    func html() -> String {
        let e = MemoryReport.escape
        var body = ["<h1>Memory report</h1>", "<p>Machine: \(e(machineLine)).</p>",
                    "<p>Command: <code>make report</code>; whole run \(s(totalSeconds)). Tables of every figure: "
                        + "<a href=\"#tables\">below</a>; definitions: <a href=\"#definitions\">at the end</a>.</p>",
                    "<h2 id=\"compared\">This library beside its peers</h2>",
                    "<p>Workspace (peak resident memory of one forward and backward pass minus the returned gradients, "
                        + "measured the same way for everyone) and median time of one forward and backward pass. "
                        + "“Baseline” is this library with its memory optimizations off. Each peer is shown in every "
                        + "configuration it ran; “cannot run” means the peer has no way to run that model.</p>"]
        if peers != nil {
            body += ["<h3>Workspace: the best of each peer</h3>", htmlTable(bestWorkspaceTable),
                     "<h3>Time: the best of each peer</h3>", htmlTable(bestTimeTable)]
        } else {
            body.append("<p>report/peers.json is absent: run <code>make peers</code> to put NumPy, JAX and PyTorch beside these figures.</p>")
        }
        for r in models {
            let workspace = comparisonChart(r, title: "Workspace", quantity: .bytes, ours: r.workspaceBytes.map(Double.init),
                                            baseline: r.baseline?.workspaceBytes.map(Double.init)) { $0.workspaceBytes.map(Double.init) }
            let time = comparisonChart(r, title: "Time, forward + backward (median)", quantity: .seconds,
                                       ours: r.time.medianSeconds, baseline: r.baseline?.medianSeconds) { $0.time?.medianSeconds }
            body += ["<h3>\(e(r.title))</h3>", "<div class=\"charts\"><figure>\(workspace.svg())</figure><figure>\(time.svg())</figure></div>"]
        }
        body.append("<h2 id=\"budget\">Memory–time under a budget</h2>")
        if let sweep = budgetSweepTable {
            body += budgetCurveFigures() + [htmlTable(sweep)]
        } else {
            body.append("<p>Not measured in this run: a model's memory–time curve appears here when results.json holds its "
                        + "<code>budgetSweep</code>.</p>")
        }
        body += ["<h2 id=\"plans\">Each model's plan</h2>",
                 "<p>For each model: the bytes live at each step of the schedule beside the top of the eager allocator "
                    + "and the planned arena's size; where each buffer sits in the arena (offset) over the steps it is live; and the "
                    + "arena each placement strategy reached. The dashed vertical line is the boundary between the forward "
                    + "and the backward pass. Hover a rectangle for its size and steps.</p>"]
        for r in models {
            body += ["<h3>\(e(r.title))</h3>",
                     "<p>\(r.memory.steps) steps (\(r.memory.forwardSteps) forward), \(r.memory.buffers) buffers, "
                        + "\(r.memory.inPlaceTakeovers) in-place takeovers; arena \(f(r.memory.bytes.planned)) by "
                        + "<code>\(e(r.memory.strategy))</code>, lower bound \(f(r.memory.bytes.lowerBound)).</p>",
                     "<figure>\(r.memory.svg(title: "Memory in use over the schedule"))</figure>",
                     "<figure>\(r.memory.placementSVG(title: "Buffers in the planned arena: offset × lifetime"))</figure>",
                     "<figure>\(r.memory.strategyChart(title: "Arena by placement strategy").svg(width: 620))</figure>"]
        }
        body += ["<h2 id=\"tables\">Workspace and resident memory</h2>", htmlTable(residentTable), "<h2>Time</h2>", htmlTable(timeTable),
                 "<h2>Memory by strategy</h2>", htmlTable(memoryTable)]
        if let peerTable { body += ["<h2>Peers, every configuration</h2>", htmlTable(peerTable, id: "peers")] }
        body += ["<h2>Gradient checksums</h2>", htmlTable(checksumTable), "<h2 id=\"definitions\">Definitions</h2>",
                 MiniMarkdown.html(definitions), "<h2>Inputs</h2>", MiniMarkdown.html(Self.recipes)]
        let style = """
        body { font-family: sans-serif; max-width: 1180px; margin: 1.5em auto; padding: 0 12px; color: #222; line-height: 1.4; }
        h3 { margin-top: 1.6em; font-size: 1.05em; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        td.num { text-align: right; white-space: nowrap; }
        td:first-child { white-space: nowrap; }
        #peers td:last-child { min-width: 16em; max-width: 34em; font-size: 12px; color: #444; }
        #peers td:nth-child(-n+3) { white-space: nowrap; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        figure { margin: 0.6em 0; }
        svg { max-width: 100%; height: auto; }
        code { font-size: 0.92em; }
        """
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>Memory report</title><style>\(style)</style></head><body>\n"
            + body.joined(separator: "\n") + "\n</body></html>\n"
    }
}
