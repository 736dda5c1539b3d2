import Foundation

extension PoissonInverseExample.Outcome {
    /// The true and recovered θ on one colour scale, their difference on its
    /// own, and the misfit over the steps (logarithmic).
    public func figure() -> SVGElement {
        let cell = max(4, (256 / Double(side)).rounded(.down))
        let range = HeatMap.symmetricRange(truth, recovered)
        let difference = zip(recovered, truth).map { $0 - $1 }
        let maps = SVGElement.row([
            HeatMap(title: "true θ = log κ", columns: side, rows: side, values: truth, range: range,
                    colourBar: false, cellSize: cell).element(),
            HeatMap(title: "recovered θ", columns: side, rows: side, values: recovered, range: range,
                    cellSize: cell).element(),
            HeatMap(title: "recovered − true", columns: side, rows: side, values: difference,
                    range: HeatMap.symmetricRange(difference), cellSize: cell).element(),
        ], gap: 28)
        let misfit = LineChart(
            title: "Misfit ½‖U − U_obs‖² / ‖U_obs‖² (\(side)×\(side) grid, three sources)",
            xTitle: "Adam step", yTitle: "misfit (log scale)",
            series: [.init(name: "misfit", points: misfits.enumerated().map { (x: Double($0), y: $1) },
                           colour: "#2c5282")],
            logarithmicY: true, width: maps.width, height: 260)
        return .column([maps, misfit.element()], gap: 24)
    }
}
