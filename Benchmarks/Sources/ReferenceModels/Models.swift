import Engine
import Foundation
import SparseJacobian

/// The four reference models of the memory report (float64).
public enum ReferenceModels {
    /// W1, elementwise chain: y0 = x; y_{k+1} = tanh(a_k·y_k + b_k); loss = Σ y_L².
    public static func elementwiseChain(n: Int = 2_000_000, layers: Int = 16) -> ReferenceModel {
        let a = (0..<layers).map { 1 + 0.2 * cos(0.5 * Double($0)) }
        let b = (0..<layers).map { 0.1 * sin(0.7 * Double($0) + 0.3) }
        return ReferenceModel(
            name: "W1", variant: "n=\(n)", summary: "elementwise chain, n = \(n), L = \(layers): y ← tanh(a_k·y + b_k), loss Σ y²",
            inputShapes: [[n], [layers], [layers]], inputs: [TensorValue(Recipe.sinseq(n, 0.37, 0.1)), TensorValue(a), TensorValue(b)],
            gradientsFor: [0, 1, 2], gradientNames: ["x", "a", "b"], isLarge: n >= 1_000_000
        ) { v in
            var y = v[0]
            for k in 0..<layers { y = tanh(y * v[1].slice(axis: 0, k..<(k + 1)) + v[2].slice(axis: 0, k..<(k + 1))) }
            return square(y).sum()
        }
    }

    /// W2, dense MLP: h ← relu(h·W_l + b_l) four times, logits = h·W4 + b4, mean cross-entropy.
    public static func denseMLP(batch: Int = 512, inputs d: Int = 1024, width: Int = 1024, hidden: Int = 4,
                                classes: Int = 10) -> ReferenceModel {
        let widths = [d] + [Int](repeating: width, count: hidden) + [classes]
        var shapes: [[Int]] = [[batch, d]]
        var values = [try! TensorValue(shape: [batch, d], rowMajor: Recipe.centered(batch * d, 0.1, 1))]
        for l in 0...hidden {
            let (fanIn, fanOut) = (widths[l], widths[l + 1])
            shapes.append([fanIn, fanOut])
            values.append(try! TensorValue(shape: [fanIn, fanOut],
                                           rowMajor: Recipe.centered(fanIn * fanOut, 0.2 + 0.1 * Double(l), (6 / Double(fanIn)).squareRoot())))
        }
        for l in 0...hidden {
            shapes.append([widths[l + 1]])
            values.append(TensorValue(Recipe.sinseq(widths[l + 1], 0.37, 0.1 + Double(l), scale: 0.01)))
        }
        let labels = (0..<batch).map { (7 * $0 + 3) % classes }
        let layers = hidden + 1
        return ReferenceModel(
            name: "W2", variant: "B=\(batch)", summary: "dense MLP, B = \(batch), D = \(d), \(hidden) hidden layers of \(width), C = \(classes), cross-entropy",
            inputShapes: shapes, inputs: values, gradientsFor: Array(1...(2 * layers)),
            gradientNames: (0..<layers).map { "W\($0)" } + (0..<layers).map { "b\($0)" }, isLarge: false
        ) { v in
            var h = v[0]
            for l in 0..<hidden { h = relu(matmul(h, v[1 + l]) + v[1 + layers + l]) }
            let logits = matmul(h, v[layers]) + v[2 * layers]
            return crossEntropy(logits: logits, labels: labels)
        }
    }

    /// The m×m grid's adjacency with self loops, by rows: row i holds columns
    /// i−m, i−1, i, i+1, i+m (where they exist), in that order. As compressed
    /// columns these arrays are the pattern of Aᵀ.
    static func gridRows(side m: Int) -> SparsityPattern {
        let n = m * m
        var pointers = [0], columns = [Int]()
        pointers.reserveCapacity(n + 1)
        columns.reserveCapacity(5 * n)
        for i in 0..<n {
            let (r, c) = (i / m, i % m)
            if r > 0 { columns.append(i - m) }
            if c > 0 { columns.append(i - 1) }
            columns.append(i)
            if c < m - 1 { columns.append(i + 1) }
            if r < m - 1 { columns.append(i + m) }
            pointers.append(columns.count)
        }
        return try! SparsityPattern(rows: n, columns: n, columnPointers: pointers, rowIndices: columns)
    }

    /// W3, sparse graph layer: Z = A·X, H = relu(Z·W1), out = (A·H)·W2, loss Σ out²;
    /// the edge weights w (in row order) are differentiable.
    public static func sparseGraphLayer(side m: Int = 1000, features f: Int = 16) -> ReferenceModel {
        let n = m * m
        let pattern = gridRows(side: m)
        let w = (0..<pattern.nonzeroCount).map { 0.2 + 0.02 * sin(0.37 * Double($0) + 0.1) }
        let scale = (6 / Double(f)).squareRoot()
        return ReferenceModel(
            name: "W3", variant: "m=\(m)", summary: "sparse graph layer on a \(m)×\(m) grid (n = \(n), nnz = \(pattern.nonzeroCount)), F = \(f)",
            inputShapes: [[n, f], [f, f], [f, 1], [pattern.nonzeroCount]],
            inputs: [try! TensorValue(shape: [n, f], rowMajor: Recipe.centered(n * f, 0.1, 1)),
                     try! TensorValue(shape: [f, f], rowMajor: Recipe.centered(f * f, 0.3, scale)),
                     try! TensorValue(shape: [f, 1], rowMajor: Recipe.centered(f, 0.5, scale)),
                     TensorValue(w)],
            gradientsFor: [0, 1, 2, 3], gradientNames: ["X", "W1", "W2", "w"], isLarge: m >= 1000
        ) { v in
            let z = matmul(pattern, values: v[3], v[0], byRows: true)
            let h = relu(matmul(z, v[1]))
            let q = matmul(pattern, values: v[3], h, byRows: true)
            return square(matmul(q, v[2])).sum()
        }
    }

    /// W4, sparse SPD solve: A = Lap + diag(exp θ), x = A⁻¹·b, loss Σ (x − t)²,
    /// A analysed with `ordering` (the library's default unless given).
    public static func sparseSolve(side m: Int = 1000,
                                   ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) -> ReferenceModel {
        let n = m * m
        let laplacian = try! SparseMatrix.gridLaplacian(side: m)  // fixed benchmark sides
        let pattern = laplacian.pattern
        let diagonal = (0..<n).map { pattern.position(row: $0, column: $0)! }
        let target = TensorValue(Recipe.sinseq(n, 0.029, 0.3, scale: 0.1))
        return ReferenceModel(
            name: "W4", variant: "m=\(m)", summary: "sparse SPD solve on a \(m)×\(m) grid (n = \(n)): A = Lap + diag(exp θ), loss Σ (A⁻¹b − t)²",
            inputShapes: [[n], [n]],
            inputs: [TensorValue(Recipe.sinseq(n, 0.37, 0.1, shift: -2)), TensorValue(Recipe.sinseq(n, 0.13, 0.2))],
            gradientsFor: [0, 1], gradientNames: ["theta", "b"], isLarge: m >= 1000
        ) { v in
            let values = v[0].tracer.constant(TensorValue(laplacian.values))
                + exp(v[0]).scatteringRows(into: pattern.nonzeroCount, at: diagonal)
            let x = solve(pattern, values: values, v[1], ordering: ordering)
            return square(x - v[0].tracer.constant(target)).sum()
        }
    }

    /// Every model and size of the report, in order.
    public static func all(small: Bool = false) -> [() -> ReferenceModel] {
        if small {
            return [{ elementwiseChain(n: 20_000) }, { denseMLP() }, { sparseGraphLayer(side: 100) }, { sparseSolve(side: 300) }]
        }
        return [{ elementwiseChain() }, { denseMLP() }, { sparseGraphLayer(side: 1000) }, { sparseGraphLayer(side: 100) },
                { sparseSolve(side: 1000) }, { sparseSolve(side: 300) }]
    }
}
