/// A half-open range `start..<end` of arena units (see ``PlacementProblem/quantum``).
struct Span: Hashable {
    var start: Int
    var end: Int
}

/// Rounds `value >= 0` up to a multiple of `alignment`, a power of two.
@inline(__always) func roundUp(_ value: Int, toMultipleOf alignment: Int) -> Int {
    (value + alignment - 1) & ~(alignment - 1)
}

