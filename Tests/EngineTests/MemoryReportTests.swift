import Engine
import Foundation
import Testing

@Suite struct MemoryReportTests {
    static func program() throws -> Program {
        try Program(inputShapes: [[1000], [16]], gradientsFor: [0, 1]) { v in
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
        #expect(markdown.contains("| planned arena |") && markdown.contains("\(report.bytes.planned)"))
        let svg = report.svg()
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains("backward") && svg.contains("chain &lt;1&gt;"))
    }
}
