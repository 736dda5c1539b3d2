@testable import Engine
import Testing

/// `run(_:seed:value:gradientStorage:gradientReady:)`: gradients written into
/// caller-owned storage (a data-parallel runner's contiguous buckets).
@Suite struct GradientStorageTests {
    static let shapes = [[300, 4], [4, 3], [3]]
    static func program() throws -> Program {
        try Program(inputShapes: shapes, gradientsFor: [2, 0, 1]) { v in square(tanh(matmul(v[0], v[1]) + v[2])).sum() }
    }

    @Test func gradientsLandInOneContiguousBlockAsInTheResult() throws {
        let program = try Self.program()
        let inputs = Self.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset) }
        let reference = try program.run(inputs)
        let counts = [3, 1200, 12]
        let block = UnsafeMutableBufferPointer<Double>.allocate(capacity: counts.reduce(0, +) + 1)
        defer { block.deallocate() }
        block.initialize(repeating: .nan)
        var offsets = [0]
        for c in counts { offsets.append(offsets.last! + c) }
        let storage = counts.indices.map { UnsafeMutableBufferPointer(rebasing: block[offsets[$0]..<offsets[$0 + 1]]) }
        var value = TensorValue(0)
        var ready: [Int] = []
        try program.run(inputs, value: &value, gradientStorage: storage) { ready.append($0) }
        #expect(value == reference.value)
        for k in 0..<3 { #expect(Array(storage[k]) == reference.gradients[k].scalars, "gradient \(k)") }
        #expect(block[counts.reduce(0, +)].isNaN, "nothing written past the last gradient")
        #expect(ready.sorted() == [0, 1, 2])
    }

    @Test func wrongCountsAndOverlapsAreTypedErrors() throws {
        let program = try Self.program()
        let inputs = Self.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset) }
        let block = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2000)
        defer { block.deallocate() }
        block.initialize(repeating: 0)
        var value = TensorValue(0)
        func slice(_ r: Range<Int>) -> UnsafeMutableBufferPointer<Double> { UnsafeMutableBufferPointer(rebasing: block[r]) }
        #expect(throws: EngineError.self) { try program.run(inputs, value: &value, gradientStorage: [slice(0..<3)]) }
        #expect(throws: EngineError.self) {
            try program.run(inputs, value: &value, gradientStorage: [slice(0..<3), slice(3..<1200), slice(1203..<1215)])
        }
        #expect(throws: EngineError.self) {
            try program.run(inputs, value: &value, gradientStorage: [slice(0..<3), slice(2..<1202), slice(1202..<1214)])
        }
        var wrongValue = TensorValue([1, 2])
        #expect(throws: EngineError.self) {
            try program.run(inputs, value: &wrongValue, gradientStorage: [slice(0..<3), slice(3..<1203), slice(1203..<1215)])
        }
    }
}
