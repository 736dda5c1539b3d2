import Engine
import Foundation
import Testing

@Suite struct MemoryReportTests {
    /// The unfused baseline keeps inputs and gradients in the arena, so that every kind of placement shows.
    static func program(optimizeMemory: Bool = false) throws -> Program {
        try Program(inputShapes: [[1000], [16]], gradientsFor: [0, 1], options: ProgramOptions(optimizeMemory: optimizeMemory)) { v in
            var y = v[0]
            for k in 0..<8 { y = tanh(y * v[1].slice(axis: 0, k..<(k + 1)) + 0.1) }
            return square(y).sum()
        }
    }

    @Test func figuresComeFromThePlan() throws {
        let program = try Self.program()
        let report = program.memoryReport(name: "chain")
        let stats = program.memoryPlan.statistics
        #expect(report.bytes.planned == stats.planned && report.bytes.lowerBound == stats.lowerBound)
        #expect(report.bytes.eager == stats.eager && report.bytes.naive == stats.naive)
        #expect(report.bytes.inputs == 8 * (1000 + 16) && report.bytes.gradients == 8 * (1000 + 16))
        #expect(report.timeline.live.count == report.steps)
        #expect(report.timeline.live.max() == report.bytes.lowerBound)
        #expect(report.timeline.planned.max()! <= report.bytes.planned)
        #expect(report.timeline.naive.last == report.bytes.naive)
        #expect(report.forwardSteps > 0 && report.forwardSteps < report.steps)
        #expect(report.arenaByStrategy.values.min() == report.bytes.planned)
    }

    @Test func jsonRoundTrips() throws {
        let report = try Self.program().memoryReport(name: "chain")
        let decoded = try JSONDecoder().decode(MemoryReport.self, from: try report.json())
        #expect(decoded == report)
    }

    @Test func markdownAndSVGShowTheFigures() throws {
        let report = try Self.program().memoryReport(name: "chain <1>")
        let markdown = report.markdown()
        #expect(markdown.contains("| arena: \(report.strategy) |") && markdown.contains("\(report.bytes.planned) | kept"))
        #expect(report.arenaByStrategy.keys.allSatisfy { markdown.contains("| arena: \($0) |") })
        let svg = report.svg()
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("stroke-dasharray=\"7 4\"") && svg.contains("stroke-dasharray=\"2 3\""))
        #expect(svg.contains("backward") && svg.contains("chain &lt;1&gt;"))
    }

    @Test func placementsAreThePlansBuffers() throws {
        let program = try Self.program()
        let report = program.memoryReport(name: "chain")
        let plan = program.memoryPlan
        #expect(report.placements.count == plan.buffers.filter { $0.size > 0 }.count)
        #expect(report.placements.allSatisfy { $0.offset + $0.size <= report.bytes.planned && $0.firstStep <= $0.lastStep })
        #expect(report.placements.filter { $0.kind == .input }.map(\.size).reduce(0, +) == report.bytes.inputs)
        #expect(report.placements.contains { $0.kind == .backward } && report.placements.contains { $0.kind == .forward })
        let svg = report.placementSVG(title: "placed")
        let rectangles = svg.components(separatedBy: "fill-opacity=\"0.75\" stroke=").count - 1
        #expect(rectangles == report.placements.count)
        // Kept less, the caller's inputs and gradients are not in the arena at all.
        let fused = try Self.program(optimizeMemory: true).memoryReport(name: "chain")
        #expect(!fused.placements.contains { $0.kind == .input || $0.kind == .gradient })
        #expect(fused.bytes.inputs == report.bytes.inputs && fused.bytes.gradients == report.bytes.gradients)
    }

    /// The boundary sits at the left edge of the first backward step: x(forwardSteps).
    @Test func boundaryIsBetweenTheLastForwardAndFirstBackwardStep() throws {
        let report = try Self.program().memoryReport(name: "chain")
        let width = 1000, left = 78.0, right = 24.0
        let expected = left + (Double(width) - left - right) * Double(report.forwardSteps) / Double(report.steps)
        #expect(report.svg(width: width).contains("x1=\"\(String(format: "%.1f", expected))\" y1=\"44.0\""))
    }

    @Test func axisTicksAreRound() {
        let bytes = ChartAxis.bytes(upTo: 1_600_000_000)  // 1.49 GiB
        #expect(bytes.labels == ["0 GiB", "0.5 GiB", "1 GiB", "1.5 GiB"])
        #expect(bytes.top >= 1_600_000_000)
        let mib = ChartAxis.bytes(upTo: 763 << 20)
        #expect(mib.labels == ["0 MiB", "200 MiB", "400 MiB", "600 MiB", "800 MiB"])
        #expect(ChartAxis.counts(upTo: 37).ticks == [0, 10, 20, 30, 40])
        #expect(ChartAxis.seconds(upTo: 0.034).labels == ["0 ms", "10 ms", "20 ms", "30 ms", "40 ms"])
        #expect(ChartAxis.roundStep(atLeast: 0.3) == 0.5 && ChartAxis.roundStep(atLeast: 2.1) == 5)
    }

    @Test func barChartCutsAnOutlierAndNamesMissingBars() {
        let chart = BarChart(title: "t", quantity: .bytes, bars: [
            .init(label: "a", value: Double(100 << 20)), .init(label: "b", value: Double(120 << 20)),
            .init(label: "huge", value: Double(4000 << 20)), .init(label: "peer", value: nil, missing: "cannot run: no solver"),
        ])
        #expect(chart.scaleMaximum == 1.25 * Double(120 << 20))
        let svg = chart.svg()
        #expect(svg.contains("cannot run: no solver") && svg.contains("stroke=\"white\" stroke-width=\"2.5\""))
        #expect(svg.contains(">3.91 GiB</text>"))
    }
}
