import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Engine
import Testing
import TrainingExamples

/// The examples' pictures are well-formed SVG with what they must show.
@Suite struct FigureTests {
    /// Counts the elements of each name, or nil when the document does not parse.
    final class Counter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var texts: [String] = []
        private var inText = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
            if name == "text" { inText = true; texts.append("") }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { inText = false }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { texts[texts.count - 1] += string } }
    }

    func parse(_ document: String) -> Counter? {
        let parser = XMLParser(data: Data(document.utf8)), counter = Counter()
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }

    @Test func karateFigureDrawsEveryMemberAndEdge() throws {
        let example = KarateClubExample(steps: 5)
        let outcome = try example.train()
        let document = outcome.figure(labelled: example.labelled).document(title: "karate & <club>")
        let parsed = try #require(parse(document))
        // 34 members plus the legend's 4 entries; a misplaced member that is not
        // labelled has a dashed ring too, as has the legend's last entry.
        let misplaced = (0..<KarateClub.nodeCount).filter {
            outcome.predicted[$0] != KarateClub.faction[$0] && !example.labelled.contains($0)
        }.count
        #expect(parsed.counts["circle"] == 34 + misplaced + 4 + 1)
        #expect(parsed.counts["polyline"] == 2)
        #expect(parsed.texts.contains("33") && parsed.texts.contains("Adam step"))
    }

    @Test func poissonFigureHasThreeMapsAndAColourBarEach() throws {
        let outcome = PoissonInverseExample.Outcome(side: 3, truth: [Double](repeating: 0.5, count: 9),
                                                    recovered: (0..<9).map { Double($0) / 10 }, misfits: [1, 0.1, 0.01])
        let parsed = try #require(parse(outcome.figure().document(title: "poisson")))
        // The background, 3 maps of 9 cells, 3 frames, 2 colour bars of 64 steps, the chart's plot frame.
        let rectangles: Int = 1 + 27 + 3 + 2 * 64 + 1
        #expect(parsed.counts["rect"] == rectangles)
        #expect(parsed.texts.contains("recovered θ"))
    }

    /// Sizes and rates an example cannot run with are typed errors, not crashes.
    @Test func badArgumentsAreTypedErrors() throws {
        #expect(throws: EngineError.self) { try KarateClubExample(hidden: 0).train() }
        #expect(throws: EngineError.self) { try KarateClubExample(labelled: [40]).train() }
        #expect(throws: EngineError.self) { try KarateClubExample(labelled: []).train() }
        #expect(throws: EngineError.self) { try PoissonInverseExample(side: 1).problem() }
        let poisson = PoissonInverseExample(side: 3, steps: 0)
        #expect(throws: EngineError.self) { try poisson.train(try poisson.problem()) }
        #expect(throws: EngineError.self) { try PoissonInverseExample(side: 3, learningRate: 0).train(try poisson.problem()) }
        #expect(throws: EngineError.self) { try GaussianPrecisionExample(side: 0).problem() }
        #expect(throws: EngineError.self) { try GaussianPrecisionExample(trueScale: -1).problem() }
        let gaussian = GaussianPrecisionExample(side: 2, steps: -1)
        #expect(throws: EngineError.self) { try gaussian.train(try GaussianPrecisionExample(side: 2).problem()) }
    }

    @Test func axesHaveRoundTicks() {
        let linear = PlotAxis.linear(from: -1.37, to: -0.92, count: 5)
        #expect(linear.labels == ["−1.4", "−1.3", "−1.2", "−1.1", "−1.0", "−0.9"])
        #expect(linear.fraction(linear.lower) == 0 && linear.fraction(linear.upper) == 1)
        let logarithmic = PlotAxis.logarithmic(from: 0.013, to: 0.7)
        #expect(logarithmic.labels == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        #expect(abs(logarithmic.fraction(0.1) - 0.5) < 1e-12)
        #expect(PlotAxis.logarithmic(from: 0.003, to: 0.7).labels == ["10⁻³", "10⁻²", "10⁻¹", "1"])
        #expect(PlotAxis.logarithmic(from: 2e-5, to: 0.3).labels == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1"])
        // Ten decades: every second power.
        #expect(PlotAxis.logarithmic(from: 3e-12, to: 0.007).labels == ["10⁻¹²", "10⁻¹⁰", "10⁻⁸", "10⁻⁶", "10⁻⁴", "10⁻²"])
    }
}
