/// A renaming of buffer ids, for schedule passes that move a step's reads or
/// writes to other buffers (a recomputed copy of a saved value): `id` becomes
/// `map[id]`, ids not in the map (and -1, "none") stay.
struct BufferRenaming {
    var map: [Int: Int] = [:]

    func callAsFunction(_ id: Int) -> Int { map[id] ?? id }
    func callAsFunction(_ ids: [Int]) -> [Int] { ids.map { map[$0] ?? $0 } }
}

extension StepAccess {
    /// The same access with every buffer renamed: a renamed step's access is this
    /// (`Step.renamed(_:)` keeps that promise; the tests check it for every kind).
    func renamed(_ r: BufferRenaming) -> StepAccess {
        StepAccess(reads: r(reads), writes: writes.map { Write(buffer: r($0.buffer), accumulates: $0.accumulates) },
                   scratch: r(scratch), mayOverwrite: mayOverwrite.map { (r($0.written), r($0.read)) })
    }
}

extension NodeBinding {
    func renamed(_ r: BufferRenaming) -> NodeBinding {
        NodeBinding(inputIDs: r(inputIDs), outputID: r(outputID), inputShapes: inputShapes, outputShape: outputShape)
    }
}

extension SavedBuffers {
    func renamed(_ r: BufferRenaming) -> SavedBuffers {
        var copy = self
        copy.inputs = inputs.map { $0 < 0 ? $0 : r($0) }
        copy.output = output < 0 ? output : r(output)
        return copy
    }
}

extension Contribution {
    func renamed(_ r: BufferRenaming) -> Contribution {
        Contribution(label: label, upstream: r(upstream), destination: r(destination), shape: shape, accumulate: accumulate)
    }
}
