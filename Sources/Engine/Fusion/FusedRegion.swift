/// A maximal region of elementwise ops over tensors of one shape, found by
/// `ElementwiseFusion`, that runs as one forward and one backward step chunk by
/// chunk (a chunk small enough for the first or second level cache, each
/// thread its own), so that nothing per element stays between its ops.
///
/// Its inputs are full-size tensors, one-element scalars and small tensors
/// broadcast to the region's shape. Its outputs are the member values used
/// outside the region and sums (over everything or along axes) of members.
/// Forward writes only the outputs. Backward recomputes, chunk by chunk, the
/// member values its derivatives need (or reads an output kept anyway) and
/// back-propagates through them inside the chunk; gradients of scalar and
/// broadcast inputs and of sums are accumulated per chunk and per thread and
/// reduced in a fixed order, so results are the same run to run.
final class FusedRegion {
    /// What an operand of a member is: region input `i` or member `m`.
    enum Operand: Hashable {
        case input(Int)
        case member(Int)
    }

    /// How a region input is read.
    enum InputKind {
        /// Shaped like the region: element k at position k.
        case full
        /// One element, read as a scalar by the ops that use it.
        case scalar
        /// A smaller tensor broadcast to the region's shape by the map.
        case broadcast(BroadcastMap)

        /// Elements of the input itself.
        func count(regionCount: Int) -> Int {
            switch self {
            case .full: return regionCount
            case .scalar: return 1
            case let .broadcast(map): return map.smallCount
            }
        }
    }

    /// One elementwise op of the region and its operands.
    struct Member {
        let op: any ElementwiseKernel
        let operands: [Operand]
    }

    /// A value leaving the region.
    enum Output {
        /// The member's values, shaped like the region.
        case value(member: Int)
        /// Σ of the member's values into the small shape of the map (all of them: one element).
        case sum(member: Int, map: BroadcastMap)

        var member: Int {
            switch self {
            case let .value(m), let .sum(m, _): return m
            }
        }
    }

    let shape: [Int]
    let count: Int
    let inputKinds: [InputKind]
    let members: [Member]
    let outputs: [Output]
    /// The output index of each member whose values leave the region.
    let valueOutputOfMember: [Int: Int]

    init(shape: [Int], inputKinds: [InputKind], members: [Member], outputs: [Output]) {
        self.shape = shape
        self.count = Shape.count(shape)
        self.inputKinds = inputKinds
        self.members = members
        self.outputs = outputs
        var valueOutputs: [Int: Int] = [:]
        for (k, output) in outputs.enumerated() {
            if case let .value(m) = output { valueOutputs[m] = k }
        }
        valueOutputOfMember = valueOutputs
    }

    /// "fused(multiply scalar, add scalar, tanh)", for errors and reports.
    var name: String { "fused(" + members.map(\.op.name).joined(separator: ", ") + ")" }

}
