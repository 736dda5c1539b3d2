extension PlacementProblem {
    /// ``Strategy/greedyByArea``: largest size × lifetime first (then larger size, then index),
    /// best fit. O(n log n) to sort, plus a placement per unit.
    func greedyByArea() -> [Int] {
        func area(_ unit: PlacementUnit) -> Int {
            let (area, overflow) = unit.size.multipliedReportingOverflow(by: unit.last - unit.first + 1)
            return overflow ? Int.max : area
        }
        let order = unitOrder { a, b in
            let (areaA, areaB) = (area(a), area(b))
            return areaA != areaB ? areaA > areaB : a.size > b.size
        }
        return place(inOrder: order, fit: .best)
    }
}
