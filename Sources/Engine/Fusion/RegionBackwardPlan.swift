/// What a fused region's backward pass reads and recomputes: the choice of
/// saved values for its ops, made by liveness.
///
/// For each member whose gradient is needed and each operand on the gradient
/// path, the plan picks one of the slope's equivalent forms. A form reads
/// values; a value is free when it is a region input that is alive anyway (an
/// input of the program, a constant, or a value another backward step reads)
/// or a region output that is kept anyway. Any other member value is
/// recomputed in the chunk from what it depends on, and any other boundary
/// value is kept for the backward pass at the cost of its bytes. The form with
/// the fewest new bytes to keep wins (ties: the op's preferred form), greedily
/// in backward order; values chosen by earlier members are already paid for.
struct RegionBackwardPlan {
    /// A value the region's backward step reads from outside the chunk.
    enum Boundary: Hashable {
        case input(Int)
        case output(member: Int)
    }

    /// Whether each member's gradient is needed: an operand is on the path,
    /// and the member reaches an output that gets an upstream gradient. (A
    /// member that reaches none, say one computing only an auxiliary output,
    /// gets no gradient: a zero gradient times its slope would be NaN where the
    /// slope is infinite, and the traced schedule skips such a member too.)
    let memberOnPath: [Bool]
    /// Whether each region input gets a gradient.
    let inputOnPath: [Bool]
    /// For each member and operand: the chosen form of its slope, nil where no gradient flows.
    let forms: [[Int?]]
    /// Members recomputed in each chunk, in region order.
    let recompute: [Int]
    /// Members read from their output buffer instead of recomputed.
    let readOutputs: Set<Int>
    /// Region inputs the backward step reads.
    let readInputs: Set<Int>

    /// - Parameters:
    ///   - inputOnPath: which region inputs are on the gradient path;
    ///   - outputOnPath: which region outputs get an upstream gradient (all when empty);
    ///   - inputFree: which region inputs are alive anyway at backward time;
    ///   - outputAlive: which members' value outputs are kept anyway.
    init(region: FusedRegion, inputOnPath: [Bool], outputOnPath: [Bool] = [], inputFree: [Bool],
         outputAlive: Set<Int>) {
        let members = region.members
        var onPath = [Bool](repeating: false, count: members.count)
        for (m, member) in members.enumerated() {
            onPath[m] = member.operands.contains { operand in
                switch operand {
                case let .input(i): return inputOnPath[i]
                case let .member(j): return onPath[j]
                }
            }
        }
        var reaches = [Bool](repeating: false, count: members.count)
        for (k, output) in region.outputs.enumerated() where outputOnPath.isEmpty || outputOnPath[k] {
            reaches[output.member] = true
        }
        for m in members.indices.reversed() where reaches[m] {
            for case let .member(j) in members[m].operands { reaches[j] = true }
        }
        for m in members.indices { onPath[m] = onPath[m] && reaches[m] }
        memberOnPath = onPath
        self.inputOnPath = inputOnPath
        let valueOutputs = Set(region.valueOutputOfMember.keys)
        let valueBytes = region.count * MemoryLayout<Double>.stride
        let inputBytes = region.inputKinds.map { $0.count(regionCount: region.count) * MemoryLayout<Double>.stride }

        // What keeping each value for the backward pass costs: the boundary values it needs.
        var requirement: [FusedRegion.Operand: Set<Boundary>] = [:]
        var readInstead = Set<Int>()
        func bytes(_ set: Set<Boundary>) -> Int {
            set.reduce(0) { total, b in
                switch b {
                case let .input(i): return total.addingClamped(inputBytes[i])
                case .output: return total.addingClamped(valueBytes)
                }
            }
        }
        func requires(_ value: FusedRegion.Operand) -> Set<Boundary> {
            if let known = requirement[value] { return known }
            var result: Set<Boundary>
            switch value {
            case let .input(i):
                result = inputFree[i] ? [] : [.input(i)]
            case let .member(m):
                if outputAlive.contains(m) {
                    result = []
                } else {
                    result = members[m].operands.reduce(into: Set<Boundary>()) { $0.formUnion(requires($1)) }
                    if valueOutputs.contains(m), valueBytes < bytes(result) {
                        result = [.output(member: m)]
                        readInstead.insert(m)
                    }
                }
            }
            requirement[value] = result
            return result
        }

        var kept = Set<Boundary>()
        var needed = Set<FusedRegion.Operand>()
        var forms = members.map { [Int?](repeating: nil, count: $0.operands.count) }
        for m in members.indices.reversed() where onPath[m] {
            for (j, operand) in members[m].operands.enumerated() {
                let operandOnPath: Bool
                switch operand {
                case let .input(i): operandOnPath = inputOnPath[i]
                case let .member(k): operandOnPath = onPath[k]
                }
                guard operandOnPath else { continue }
                let slopeForms = members[m].op.elementSlope(forInput: j).forms
                guard !slopeForms.isEmpty else { forms[m][j] = 0; continue }
                let candidates = slopeForms.map { reads in
                    reads.map { read -> FusedRegion.Operand in
                        if case let .input(k) = read { return members[m].operands[k] }
                        return .member(m)
                    }
                }
                let costs = candidates.map { values in
                    bytes(values.reduce(into: Set<Boundary>()) { $0.formUnion(requires($1)) }.subtracting(kept))
                }
                let best = costs.indices.min { costs[$0] < costs[$1] }!
                forms[m][j] = best
                for value in candidates[best] {
                    needed.insert(value)
                    kept.formUnion(requires(value))
                }
            }
        }
        self.forms = forms

        // Members to read or recompute, with what recomputing them needs.
        var recompute = Set<Int>(), readOutputs = Set<Int>(), readInputs = Set<Int>()
        var stack = Array(needed)
        while let value = stack.popLast() {
            switch value {
            case let .input(i):
                readInputs.insert(i)
            case let .member(m):
                if outputAlive.contains(m) || readInstead.contains(m) {
                    readOutputs.insert(m)
                } else if recompute.insert(m).inserted {
                    stack += members[m].operands
                }
            }
        }
        self.recompute = recompute.sorted()
        self.readOutputs = readOutputs
        self.readInputs = readInputs
    }

    /// Every region input and member value output read, as boundary values.
    var boundaryReads: Set<Boundary> {
        Set(readInputs.map { .input($0) } + readOutputs.map { .output(member: $0) })
    }
}
