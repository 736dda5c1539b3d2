extension FusedRegion {
    /// A region is recomputed as its members are (all elementwise: allowed),
    /// chunk by chunk: its flops are the members', its bytes one read of each
    /// input and one write of each output; the members' values stay in cache.
    var recomputation: Recomputation {
        let flops = members.reduce(Recomputation(rule: .allowed, flops: 0, bytes: 0)) { total, member in
            let shapes = member.operands.map { _ in shape }
            return total.adding(member.op.recomputation(inputShapes: shapes, outputShape: shape))
        }
        let inputElements = inputKinds.reduce(0) { $0.addingClamped($1.count(regionCount: count)) }
        let outputElements = outputs.reduce(0) { total, output in
            switch output {
            case .value: return total.addingClamped(count)
            case let .sum(_, map): return total.addingClamped(map.smallCount)
            }
        }
        return Recomputation(rule: flops.rule, flops: flops.flops,
                             bytes: inputElements.addingClamped(outputElements).multipliedClamped(by: MemoryLayout<Double>.stride))
    }
}
