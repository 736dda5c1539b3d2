import CCholmodDirect
import SparseJacobian

/// `cholmod_l_sdmult` called straight through CHOLMOD's C API, with no library
/// code in between: the baseline for `SparseMatrix.multiply`.
///
/// It owns a fresh `cholmod_common` (`cholmod_l_start`, `print = 0`) and builds
/// the `cholmod_sparse` and `cholmod_dense` headers itself on every call, pointing
/// at the matrix's and the caller's arrays (nothing is copied).
final class DirectSdmult {
    private let common: UnsafeMutablePointer<cholmod_common>

    init() {
        common = .allocate(capacity: 1)
        cholmod_l_start(common)
        common.pointee.print = 0
    }

    deinit {
        cholmod_l_finish(common)
        common.deallocate()
    }

    /// Y = A·X with X `a.columns`×`columns` and Y `a.rows`×`columns`, column-major.
    func multiply(_ a: SparseMatrix, _ x: UnsafePointer<Double>, columns: Int,
                  into y: UnsafeMutablePointer<Double>) throws {
        var alpha: [Double] = [1, 0], beta: [Double] = [0, 0]
        var xHeader = Self.dense(UnsafeMutablePointer(mutating: x), rows: a.columns, columns: columns)
        var yHeader = Self.dense(y, rows: a.rows, columns: columns)
        let ok = a.pattern.columnPointers.withUnsafeBufferPointer { p in
            a.pattern.rowIndices.withUnsafeBufferPointer { i in
                a.values.withUnsafeBufferPointer { v in
                    var header = cholmod_sparse()
                    header.nrow = a.rows
                    header.ncol = a.columns
                    header.nzmax = a.pattern.nonzeroCount
                    header.p = UnsafeMutableRawPointer(mutating: p.baseAddress!)
                    header.i = UnsafeMutableRawPointer(mutating: i.baseAddress!)
                    header.x = UnsafeMutableRawPointer(mutating: v.baseAddress!)
                    header.stype = 0
                    header.itype = CHOLMOD_LONG
                    header.xtype = CHOLMOD_REAL
                    header.dtype = CHOLMOD_DOUBLE
                    header.sorted = 1
                    header.packed = 1
                    return cholmod_l_sdmult(&header, 0, &alpha, &beta, &xHeader, &yHeader, common)
                }
            }
        }
        guard ok != 0 else { throw DirectCholmodError(status: Int(common.pointee.status)) }
    }

    /// A `cholmod_dense` header over `rows`×`columns` column-major doubles.
    private static func dense(_ values: UnsafeMutablePointer<Double>, rows: Int, columns: Int) -> cholmod_dense {
        var header = cholmod_dense()
        header.nrow = rows
        header.ncol = columns
        header.nzmax = rows * columns
        header.d = rows
        header.x = UnsafeMutableRawPointer(values)
        header.xtype = CHOLMOD_REAL
        header.dtype = CHOLMOD_DOUBLE
        return header
    }
}

/// A direct CHOLMOD call returned failure; `status` is CHOLMOD's.
struct DirectCholmodError: Error {
    let status: Int
}
