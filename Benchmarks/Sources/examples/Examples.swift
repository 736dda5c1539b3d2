// `make examples`: the three training examples in release mode, each printing
// its progress and writing an SVG into report/examples/ (or --output DIR).
//
//   swift run -c release examples all                  # karate, poisson, gaussian
//   swift run -c release examples karate [--steps 200] [--hidden 8]
//   swift run -c release examples poisson [--side 64] [--steps 5000]
//   swift run -c release examples gaussian [--side 64] [--steps 400]
import ArgumentParser
import Foundation
import TrainingExamples

@main
struct Examples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "examples",
        abstract: "Training examples of StructuredAutodiff, each printing its progress and writing an SVG.",
        subcommands: [Karate.self, Poisson.self, Gaussian.self, All.self])
}

/// Where the pictures go: report/examples/ at the repository's root unless told.
struct OutputOptions: ParsableArguments {
    @Option(help: "Directory for the SVGs (default: report/examples at the repository's root).")
    var output: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("report/examples").path

    func write(_ figure: SVGElement, name: String, title: String) throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let path = (output as NSString).appendingPathComponent(name)
        try figure.document(title: title).write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}

/// Runs `body`, then prints how long it took.
func timed(_ name: String, _ body: () throws -> Void) rethrows {
    let start = Date()
    try body()
    print(String(format: "%@: %.2f s", name, Date().timeIntervalSince(start)))
}

struct Karate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Two-layer graph convolution on Zachary's karate club, trained with Adam from four labels.")
    @Option(help: "Adam steps.") var steps = 200
    @Option(help: "Hidden units.") var hidden = 8
    @OptionGroup var output: OutputOptions

    func run() throws {
        let example = KarateClubExample(hidden: hidden, steps: steps)
        print("karate: \(KarateClub.nodeCount) members, \(KarateClub.edges.count) friendships, hidden \(hidden), "
              + "labelled members \(example.labelled.map(String.init).joined(separator: ", "))")
        try timed("karate") {
            let outcome = try example.train(progress: { print("karate: \($0)") })
            let misplaced = outcome.predicted.indices.filter { outcome.predicted[$0] != KarateClub.faction[$0] }
            print(String(format: "karate: loss %.4f → %.4f; %d of %d members in their true faction (misplaced: %@)",
                         outcome.losses.first!, outcome.losses.last!, outcome.correct, KarateClub.nodeCount,
                         misplaced.isEmpty ? "none" : misplaced.map(String.init).joined(separator: ", ")))
            try output.write(outcome.figure(labelled: example.labelled), name: "karate.svg",
                             title: "Graph convolution on Zachary's karate club")
        }
    }
}

struct Poisson: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recover the diffusion coefficient exp θ of −∇·(κ∇u) = f from observations of u, through solve.")
    @Option(help: "Grid side (nodes per row).") var side = 64
    @Option(help: "Adam steps.") var steps = 5000
    @Option(help: "Adam's learning rate at the first step.") var learningRate = 0.05
    @Option(help: "Adam's learning rate at the last step (exponential decay between).") var finalLearningRate = 0.005
    @OptionGroup var output: OutputOptions

    func run() throws {
        let example = PoissonInverseExample(side: side, steps: steps, learningRate: learningRate,
                                            finalLearningRate: finalLearningRate)
        print("poisson: \(side)×\(side) grid, \(side * side) unknowns, three sources, \(steps) Adam steps, "
              + "learning rate \(learningRate) → \(finalLearningRate)")
        try timed("poisson") {
            let outcome = try example.train(try example.problem(), progress: { print("poisson: \($0)") })
            print(String(format: "poisson: misfit %.3e → %.3e; θ error largest %.4f, root mean square %.4f (θ spans %.2f to %.2f)",
                         outcome.misfits.first!, outcome.misfits.last!, outcome.largestError, outcome.rootMeanSquareError,
                         outcome.truth.min()!, outcome.truth.max()!))
            try output.write(outcome.figure(), name: "poisson.svg", title: "Poisson inverse problem")
        }
    }
}

struct Gaussian: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the precision scale τ of a Gaussian Markov random field through logDeterminant's gradient.")
    @Option(help: "Grid side (nodes per row).") var side = 64
    @Option(help: "Adam steps.") var steps = 400
    @Option(help: "The τ the sample is drawn with.") var trueScale = 2.0
    @OptionGroup var output: OutputOptions

    func run() throws {
        let example = GaussianPrecisionExample(side: side, steps: steps, trueScale: trueScale)
        print("gaussian: \(side)×\(side) grid, \(side * side) nodes, Q = τ(L + I), one sample drawn with τ = \(trueScale)")
        try timed("gaussian") {
            let outcome = try example.train(try example.problem(), progress: { print("gaussian: \($0)") })
            print(String(format: "gaussian: fitted θ %.6f (τ %.4f), closed form θ̂ %.6f (τ̂ %.4f), difference %.1e; true τ %.4g",
                         outcome.fitted, exp(outcome.fitted), outcome.closedForm, exp(outcome.closedForm),
                         outcome.fitted - outcome.closedForm, trueScale))
            try output.write(outcome.figure(), name: "gaussian.svg", title: "Gaussian precision fitted by maximum likelihood")
        }
    }
}

struct All: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The three examples at their default sizes.")
    @OptionGroup var output: OutputOptions

    func run() throws {
        let arguments = ["--output", output.output]
        try Karate.parse(arguments).run()
        try Poisson.parse(arguments).run()
        try Gaussian.parse(arguments).run()
    }
}
