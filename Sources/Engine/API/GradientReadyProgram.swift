/// A program with its gradients' readiness order: the run calls
/// `gradientReady(k, g)` as soon as the backward pass has finished writing
/// gradient `k`, while the rest of the backward pass still runs, so that a
/// data-parallel runner can start the gradient's all-reduce then and overlap
/// the remaining steps. A thin view of `Program.run(_:seed:into:gradientReady:)`:
/// the hook is a lookup per step in the program's own executor, no memory.
public final class GradientReadyProgram {
    public let program: Program
    /// For each requested gradient (request order), the index of the last step
    /// of the schedule that writes it: after that step it is final.
    public let finalStep: [Int]
    /// Requested gradients in the order they become final during a run.
    public let readinessOrder: [Int]

    public init(_ program: Program) {
        self.program = program
        let finals = program.gradientFinalSteps
        finalStep = finals
        readinessOrder = finals.indices.sorted { (finals[$0], $0) < (finals[$1], $1) }
    }

    /// `program.run(inputs, seed:, into:)`, calling `gradientReady(k, g)` right
    /// after the last step that writes gradient `k`; `g` is the result's storage.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, into result: inout ProgramResult,
                    gradientReady: (Int, UnsafeBufferPointer<Double>) -> Void) throws {
        try program.run(inputs, seed: seed, into: &result, gradientReady: gradientReady)
    }
}
