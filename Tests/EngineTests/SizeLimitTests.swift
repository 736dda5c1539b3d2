import Engine
import SparseJacobian
import Testing

/// Element counts and byte sizes are checked: a shape whose count or bytes
/// overflow `Int` is `sizeOverflow`, storage the system refuses is
/// `allocationFailed(bytes:)`; none of them traps.
@Suite struct SizeLimitTests {
    @Test func checkedCountRejectsOverflowingAndNegativeShapes() {
        #expect(Shape.checkedCount([Int.max, 2]) == nil)
        #expect(Shape.checkedCount([1 << 31, 1 << 31]) == nil)        // 2^62 elements, 2^65 bytes
        #expect(Shape.checkedCount([1 << 30, 1 << 30]) == nil)        // 2^60 elements fit, their 2^63 bytes do not
        #expect(Shape.checkedCount([1 << 30, 1 << 29]) == 1 << 59)    // 2^62 bytes fit
        #expect(Shape.checkedCount([Int.max, Int.max, 0]) == nil)     // strides would overflow
        #expect(Shape.checkedCount([3, 0, 7]) == 0)
        #expect(Shape.checkedCount([]) == 1)
        #expect(Shape.checkedCount([2, -1]) == nil)
    }

    @Test func validateNamesTheOpAndTheShape() {
        #expect(throws: EngineError.sizeOverflow(op: "input 1", shape: [Int.max, 2])) {
            try Shape.validateInputs([[3], [Int.max, 2]])
        }
        #expect(throws: EngineError.invalidArgument(op: "input 0", shape: [2, -3], reason: "negative dimension -3")) {
            try Shape.validateInputs([[2, -3]])
        }
        #expect(throws: Never.self) { try Shape.validateInputs([[2, 3], [], [0, 5]]) }
    }

    @Test func tensorValuesCheckTheirShape() throws {
        #expect(throws: EngineError.invalidArgument(op: "try TensorValue(repeating:shape:)", shape: [-1],
                                                    reason: "negative dimension -1")) {
            try TensorValue(repeating: 0, shape: [-1])
        }
        #expect(throws: EngineError.sizeOverflow(op: "try TensorValue(repeating:shape:)", shape: [Int.max, 2])) {
            try TensorValue(repeating: 0, shape: [Int.max, 2])
        }
        #expect(throws: EngineError.sizeOverflow(op: "TensorValue", shape: [1 << 31, 1 << 31])) {
            try TensorValue(shape: [1 << 31, 1 << 31], scalars: [])
        }
        #expect(try TensorValue(repeating: 2, shape: [2, 3]).scalars == [Double](repeating: 2, count: 6))
    }

    /// 2^40 doubles are 8 TiB: more than this machine has, so the allocator refuses.
    @Test func storageTheSystemRefusesIsAllocationFailed() {
        #expect(throws: EngineError.allocationFailed(bytes: 1 << 43)) { try TensorValue(repeating: 0, shape: [1 << 40]) }
        #expect(throws: EngineError.allocationFailed(bytes: 1 << 43)) { try CheckedAllocation.allocate(bytes: 1 << 43) }
        #expect(throws: EngineError.sizeOverflow(op: "allocate", shape: [Int.max])) {
            try CheckedAllocation.allocateDoubles(Int.max)
        }
    }

    @Test func checkedAllocationGivesAlignedWritableMemory() throws {
        let p = try CheckedAllocation.allocateDoubles(1000)
        defer { CheckedAllocation.deallocate(p) }
        #expect(Int(bitPattern: p) % 64 == 0)
        p.update(repeating: 3, count: 1000)
        #expect(p[999] == 3)
        let empty = try CheckedAllocation.allocate(bytes: 0)
        CheckedAllocation.deallocate(empty)
    }

    @Test func opsWithOverflowingOutputShapesThrow() throws {
        #expect(throws: EngineError.sizeOverflow(op: "reshape", shape: [Int.max, 2])) {
            try Program(inputShapes: [[4]]) { v in v[0].reshaped([Int.max, 2]).sum() }
        }
        #expect(throws: EngineError.invalidArgument(op: "reshape", shape: [-2, -2], reason: "negative dimension -2")) {
            try Program(inputShapes: [[4]]) { v in v[0].reshaped([-2, -2]).sum() }
        }
        #expect(throws: EngineError.sizeOverflow(op: "broadcast", shape: [1 << 31, 1 << 31])) {
            try Program(inputShapes: [[1]]) { v in v[0].broadcast(to: [1 << 31, 1 << 31]).sum() }
        }
        #expect(throws: EngineError.sizeOverflow(op: "matmul", shape: [1 << 40, 1 << 40])) {
            try Program(inputShapes: [[1 << 40, 0], [0, 1 << 40]]) { v in matmul(v[0], v[1]).sum() }
        }
        // A custom sparse op whose pattern has 2^62 rows: its output's bytes overflow.
        let tall = try SparsityPattern(rows: 1 << 62, columns: 1, columnPointers: [0, 0], rowIndices: [])
        let op = CustomSparseOperation(name: "tall", pattern: tall, forward: { _, _ in }, jacobianValues: { _, _ in })
        #expect(throws: EngineError.sizeOverflow(op: "tall", shape: [1 << 62])) {
            try Program(inputShapes: [[1]]) { v in v[0].tracer.apply(op, [v[0]]).sum() }
        }
        // Sixteen empty [2^58, 0] blocks are fine one by one; joined, 2^62 rows do not fit in bytes.
        #expect(throws: EngineError.sizeOverflow(op: "concatenate", shape: [1 << 62, 0])) {
            try Program(inputShapes: [[1 << 58, 0]]) { v in try Tensor.concatenate(Array(repeating: v[0], count: 16), axis: 0).sum() }
        }
    }
}
