extension SparseMatrix {
    /// The 5-point Laplacian of an `side`×`side` grid plus `shift`·I: node
    /// i = r·side + c has `4 + shift` on the diagonal and −1 for each grid
    /// neighbour (Dirichlet boundary), so it is symmetric positive definite for
    /// shift ≥ 0. Both triangles are stored; columns are sorted.
    /// A negative side is `negativeDimension`; a side whose 5·side² entries
    /// overflow `Int` is `dimensionTooLarge`, and one whose arrays the system
    /// refuses is `outOfMemory` naming the bytes.
    /// Cost: O(n) with n = side², 5n entries at most.
    public static func gridLaplacian(side: Int, shift: Double = 0) throws(SparseError) -> SparseMatrix {
        guard side >= 0 else { throw .negativeDimension(rows: side, columns: side) }
        let (n, overflow) = side.multipliedReportingOverflow(by: side)
        guard !overflow, n < Int.max / 5 else { throw .dimensionTooLarge(rows: side, columns: side) }
        try SparseError.ensureAvailable(count: 5 * n, stride: MemoryLayout<Double>.stride, call: "gridLaplacian",
                                        rows: n, columns: n)
        var pointers = [Int](), indices = [Int](), values = [Double]()
        pointers.reserveCapacity(n + 1)
        indices.reserveCapacity(5 * n)
        values.reserveCapacity(5 * n)
        pointers.append(0)
        for node in 0..<n {
            let r = node / side, c = node % side
            // Rows of column `node` in increasing order (the matrix is symmetric).
            if r > 0 { indices.append(node - side); values.append(-1) }
            if c > 0 { indices.append(node - 1); values.append(-1) }
            indices.append(node); values.append(4 + shift)
            if c < side - 1 { indices.append(node + 1); values.append(-1) }
            if r < side - 1 { indices.append(node + side); values.append(-1) }
            pointers.append(indices.count)
        }
        let pattern = SparsityPattern(uncheckedRows: n, columns: n, columnPointers: pointers, rowIndices: indices)
        return SparseMatrix(trusted: pattern, values: values)
    }
}
