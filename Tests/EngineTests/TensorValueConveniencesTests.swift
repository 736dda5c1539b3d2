import Engine
import Foundation
import Testing

@Suite struct TensorValueConveniencesTests {
    /// [[1, 2, 3], [4, 5, 6]] written row by row.
    static let matrix = try! TensorValue(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6], order: .rowMajor)

    @Test func ordersAreExplicitBothWays() throws {
        let m = Self.matrix
        #expect(m[0, 2] == 3 && m[1, 0] == 4)
        #expect(m.scalars(in: .rowMajor) == [1, 2, 3, 4, 5, 6])
        #expect(m.scalars(in: .columnMajor) == [1, 4, 2, 5, 3, 6])
        let same = try TensorValue(shape: [2, 3], scalars: [1, 4, 2, 5, 3, 6], order: .columnMajor)
        #expect(same == m)
    }

    @Test func reshapedFollowsTheOrderAsked() throws {
        let m = Self.matrix
        // NumPy: np.array([[1,2,3],[4,5,6]]).reshape(3, 2) == [[1,2],[3,4],[5,6]]
        let rows = try m.reshaped([3, 2], order: .rowMajor)
        #expect(rows.scalars(in: .rowMajor) == [1, 2, 3, 4, 5, 6] && rows[1, 0] == 3)
        // Fortran order: storage kept, [[1,5],[4,3],[2,6]]
        let columns = try m.reshaped([3, 2], order: .columnMajor)
        #expect(columns.scalars == m.scalars && columns[0, 1] == 5)
        #expect(throws: EngineError.self) { try m.reshaped([4, 2], order: .rowMajor) }
    }

    @Test func assignAndSubscriptWrite() throws {
        var m = Self.matrix
        m[1, 2] = -6
        m[index: [0, 0]] = 10
        #expect(m.scalars(in: .rowMajor) == [10, 2, 3, 4, 5, -6])
        try m.assign([6, 5, 4, 3, 2, 1], order: .rowMajor)
        #expect(m[0, 0] == 6 && m[1, 2] == 1)
        #expect(throws: EngineError.self) { try m.assign([1, 2], order: .columnMajor) }
        #expect(m[0, 0] == 6)
    }

    @Test func codableIsRowMajorAndChecked() throws {
        let data = try JSONEncoder().encode(Self.matrix)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["shape"] as? [Int] == [2, 3])
        #expect(object["rowMajor"] as? [Double] == [1, 2, 3, 4, 5, 6])
        #expect(try JSONDecoder().decode(TensorValue.self, from: data) == Self.matrix)
        let wrong = Data(#"{"shape": [2, 2], "rowMajor": [1, 2, 3]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TensorValue.self, from: wrong) }
    }

    @Test func descriptionSummarisesLargeTensors() throws {
        #expect(Self.matrix.description == "TensorValue(shape: [2, 3], rowMajor: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])")
        let big = try TensorValue(shape: [100, 10], scalars: (0..<1000).map(Double.init), order: .rowMajor)
        let text = big.description
        #expect(text == "TensorValue(shape: [100, 10], 1000 elements, rowMajor: [0, 1, 2, …, 997, 998, 999], "
                + "min 0, max 999, mean 499.5)")
        #expect(text.count < 120)
    }
}
