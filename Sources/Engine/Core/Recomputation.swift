/// Whether the backward pass may recompute an op's output instead of keeping
/// it from the forward pass, and what one recomputation costs.
///
/// Every op states its rule in its declaration (`DifferentiableOperation`'s
/// `recomputation(inputShapes:outputShape:)`):
/// - elementwise ops, fused regions, selections, reshapes, broadcasts, sums and
///   sparse-times-dense products are `.allowed`: they read only their inputs,
///   stream through memory and cost little next to keeping a full-size value;
/// - dense matrix products and other BLAS-bound ops are `.expensive`: only the
///   minimum-memory and budget policies recompute them;
/// - factorizations and solves are `.never`: their result depends on a factor
///   held outside the arena, which a recomputation would have to rebuild (and
///   the backward rules read the factor of the forward pass).
///
/// The cost estimate is what the executor would move and compute: `bytes` is
/// the bytes of the inputs read and the output written once (for a sparse
/// product also the pattern and values), `flops` the floating-point operations
/// (2mnk for a matrix product, 2·nnz·columns for a sparse one, a per-element
/// figure for elementwise ops: 1 for arithmetic, 20 for a transcendental
/// function). `SavePolicy` turns the two into one figure,
/// `equivalentBytes` = bytes + flops / 4: this machine streams about 10 GB/s
/// and computes about 40 GFLOP/s in BLAS, so four flops cost about one byte.
public struct Recomputation: Sendable, Hashable {
    public enum Rule: Int, Sendable, Hashable, Comparable {
        /// The backward rules read state of the forward pass outside the arena.
        case never
        /// Worth it only when memory is what matters (dense products).
        case expensive
        /// Cheap next to keeping the value.
        case allowed

        public static func < (a: Rule, b: Rule) -> Bool { a.rawValue < b.rawValue }
    }

    public let rule: Rule
    /// Floating-point operations of one recomputation.
    public let flops: Int
    /// Bytes read and written by one recomputation.
    public let bytes: Int

    public init(rule: Rule, flops: Int, bytes: Int) {
        self.rule = rule
        self.flops = flops
        self.bytes = bytes
    }

    /// Never recomputed (the default of an op that says nothing: its kernel may
    /// hold state the engine cannot see).
    public static let never = Recomputation(rule: .never, flops: 0, bytes: 0)

    /// A streaming op: reads each input once, writes the output once, and does
    /// `flopsPerElement` operations per output element.
    public static func streaming(_ rule: Rule = .allowed, inputShapes: [[Int]], outputShape: [Int],
                                 flopsPerElement: Int = 1) -> Recomputation {
        let elements = inputShapes.reduce(Shape.count(outputShape)) { $0.addingClamped(Shape.count($1)) }
        return Recomputation(rule: rule, flops: Shape.count(outputShape).multipliedClamped(by: flopsPerElement),
                             bytes: elements.multipliedClamped(by: MemoryLayout<Double>.stride))
    }

    /// Bytes plus flops / 4: one figure to compare recomputations by.
    public var equivalentBytes: Int { bytes.addingClamped(flops / 4) }

    /// Two recomputations run one after the other (a fused region's members).
    func adding(_ other: Recomputation) -> Recomputation {
        Recomputation(rule: min(rule, other.rule), flops: flops.addingClamped(other.flops),
                      bytes: bytes.addingClamped(other.bytes))
    }
}

extension Int {
    /// Sum that saturates at `Int.max` (cost estimates only).
    func addingClamped(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// Product that saturates at `Int.max` (cost estimates only).
    func multipliedClamped(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
