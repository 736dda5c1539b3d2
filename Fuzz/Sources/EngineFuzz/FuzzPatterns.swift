import Engine
import SparseJacobian

/// Sparsity patterns (CSC arrays, coordinates, grid Laplacians) from bytes,
/// then the sparse products and, for square matrices, a Cholesky factorization.
enum FuzzPatterns {
    static func run(_ r: inout ByteReader) throws {
        let matrix = try makeMatrix(&r)
        // Dimensions past here are small: a matrix that big was refused above.
        guard matrix.rows <= 64, matrix.columns <= 64 else { return }
        let context = CholmodContext()
        let transposed = r.bool()
        let k = r.int(below: 4)
        let inner = transposed ? matrix.rows : matrix.columns
        let x = try DenseMatrix(rows: inner, columns: k, values: r.doubles(inner * k))
        let y = try matrix.multiplied(by: x, transposed: transposed, context: context)
        precondition(y.rows == (transposed ? matrix.columns : matrix.rows) && y.columns == k, "product shape")
        if r.bool() { _ = try matrix.multiplied(by: matrix.transposed, context: context) }
        if r.bool() { _ = try matrix.pattern.multiplied(by: matrix.pattern, context: context) }
        if r.bool() {
            let g = try DenseMatrix(rows: matrix.rows, columns: k, values: r.doubles(matrix.rows * k))
            let xs = try DenseMatrix(rows: matrix.columns, columns: k, values: r.doubles(matrix.columns * k))
            _ = try matrix.pattern.sampledProduct(g, xs)
        }
        if matrix.rows == matrix.columns, r.bool() {
            let factor = try SparseCholesky(matrix, context: context)
            if r.bool() { try factor.factorize(values: matrix.values) }
            let b = try DenseMatrix(rows: matrix.rows, columns: k, values: r.doubles(matrix.rows * k))
            _ = try factor.solve(b)
            _ = try factor.logDeterminant()
        }
    }

    static func makeMatrix(_ r: inout ByteReader) throws -> SparseMatrix {
        let rows = r.dimension(), columns = r.dimension()
        switch r.int(below: 3) {
        case 0:
            let pointers = (0..<r.int(below: 8)).map { _ in r.index() }
            let indices = (0..<r.int(below: 12)).map { _ in r.index() }
            let pattern = try SparsityPattern(rows: rows, columns: columns, columnPointers: pointers, rowIndices: indices)
            return try SparseMatrix(pattern: pattern, values: r.doubles(pattern.nonzeroCount + r.int(below: 2)))
        case 1:
            let n = r.int(below: 12)
            let rowIndices = (0..<n).map { _ in r.index() }, columnIndices = (0..<n).map { _ in r.index() }
            return try SparseMatrix(rows: rows, columns: columns, rowIndices: rowIndices, columnIndices: columnIndices,
                                    values: r.doubles(n + (r.int(below: 8) == 0 ? 1 : 0)))
        default:
            return try SparseMatrix.gridLaplacian(side: r.dimension(), shift: r.double())
        }
    }
}
