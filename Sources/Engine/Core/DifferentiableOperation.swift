import SparseJacobian

/// One differentiable operation, declared once: its output shape (with errors),
/// its forward kernel and, for each input, what its Jacobian J is
/// (`jacobianStructure`, the declaration) and how the engine applies Jᵀ·g
/// (`derivative(forInput:)`).
///
/// The engine never asks an op for anything else: liveness comes from what the
/// derivatives read, the backward step from the derivative, and the sparse
/// Jacobian API composes the structures along the graph.
public protocol DifferentiableOperation {
    /// The op's name, used in errors and reports.
    var name: String { get }
    /// The output shape for these input shapes, or the error naming the op and shapes.
    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int]
    /// Computes the output from the inputs.
    func forward(_ arguments: ForwardArguments) throws(EngineError)
    /// How the engine applies Jᵀ·g for input `index` (an elementwise kernel, a
    /// CHOLMOD product, the op's own rule).
    func derivative(forInput index: Int) -> Derivative
    /// What J = ∂output/∂input `index` is: rows the output's elements, columns
    /// the input's, both in storage (column-major) order. It must contain every
    /// nonzero of the true Jacobian (the declared-structure test checks each op
    /// of the library against its numeric Jacobian). Default: the conservative
    /// structure `derivative(forInput:)` implies (`derivedJacobianStructure`).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure
    /// Inputs whose buffer the output may take over when that input dies at this
    /// step (elementwise ops whose kernel reads element k before writing it).
    var inPlaceInputs: [Int] { get }
    /// Bytes the op holds outside the arena (a Cholesky factor), for reports.
    var externalBytes: Int { get }
    /// Element counts of scratch buffers the forward kernel needs (planned like
    /// any buffer, alive during the forward step only).
    var forwardScratch: [Int] { get }
    /// Whether the backward pass may recompute the output instead of keeping it,
    /// and the cost of doing so (`Recomputation`; default: never).
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation
}

extension DifferentiableOperation {
    public var inPlaceInputs: [Int] { [] }
    public var externalBytes: Int { 0 }
    public var forwardScratch: [Int] { [] }
    public func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation { .never }
}

/// A value of the forward pass that a backward step reads.
public enum SavedValue: Hashable, Sendable {
    case input(Int)
    case output
}

/// How the engine applies Jᵀ·g for one input of an op: the backward step and
/// what it reads. What J is, its structure, is the op's declaration
/// (`DifferentiableOperation.jacobianStructure`, a `JacobianStructure`); the
/// cases here name the step that structure is applied by, not the structure
/// itself (a selection or a row of ones is applied by the op's own rule, `.dense`).
public enum Derivative {
    /// J = 0: the output does not depend on this input; no step is scheduled.
    case none
    /// There is no rule: asking for a gradient through this input throws.
    case notDifferentiable(reason: String)
    /// J = I (shapes equal): the gradient is passed on.
    case identity
    /// J = diag(d), d computed elementwise: g_in (+)= g_out ⊙ d, no matrix formed.
    case diagonal(DiagonalDerivative)
    /// J = I_blocks ⊗ S with S sparse on a pattern fixed at trace time: g_in (+)= Jᵀ·g_out
    /// through `cholmod_l_sdmult`.
    case sparse(SparseDerivative)
    /// A general J, applied by the op's own rule (BLAS, CHOLMOD solves, …).
    case dense(DenseDerivative)

    /// The step's name, for reports and tests.
    public var structureName: String {
        switch self {
        case .none, .notDifferentiable: return "none"
        case .identity: return "identity"
        case .diagonal: return "diagonal"
        case .sparse: return "sparse"
        case .dense: return "dense"
        }
    }
}

/// d = diag(J), computed in chunks from saved values at the same positions.
///
/// An op may offer several equivalent forms that read different saved values
/// (relu's slope is 1 where x > 0, which is exactly where y > 0): the schedule
/// keeps the form whose reads are alive anyway, so the other value can die.
public struct DiagonalDerivative {
    /// Writes d[0..<count] for the elements at the operands' current chunk.
    public typealias Factor = (_ operands: DiagonalOperands, _ count: Int, _ d: UnsafeMutablePointer<Double>) -> Void

    /// One way to compute d: the saved values it reads, in the order
    /// `DiagonalOperands` gives them, and the kernel.
    public struct Form {
        public let reads: [SavedValue]
        public let factor: Factor

        public init(reads: [SavedValue], factor: @escaping Factor) {
            self.reads = reads
            self.factor = factor
        }
    }

    /// The equivalent forms, the preferred one first (used when nothing else decides).
    public let forms: [Form]
    /// The saved values the preferred form reads.
    public var reads: [SavedValue] { forms[0].reads }
    /// The preferred form's kernel.
    public var factor: Factor { forms[0].factor }

    public init(reads: [SavedValue], factor: @escaping Factor) {
        forms = [Form(reads: reads, factor: factor)]
    }

    /// A derivative with equivalent forms (at least one), the preferred first.
    public init(forms first: Form, _ others: Form...) {
        forms = [first] + others
    }
}

/// J = I_blocks ⊗ S (or I_blocks ⊗ Sᵀ when `transposed`): `blocks` copies of the
/// sparse matrix S, stored on `pattern`, on the diagonal. With column-major
/// tensors this is the Jacobian of Y = S·X for X with `blocks` columns, so Jᵀ·g
/// is one `cholmod_l_sdmult` with `blocks` columns. `transposed` serves
/// matrices stored by rows (edge lists): S's storage is read as Sᵀ, no copy.
public struct SparseDerivative {
    public let pattern: SparsityPattern
    public let blocks: Int
    public let values: SparseValues
    public let transposed: Bool

    public init(pattern: SparsityPattern, blocks: Int = 1, values: SparseValues, transposed: Bool = false) {
        self.pattern = pattern
        self.blocks = blocks
        self.values = values
        self.transposed = transposed
    }

    /// Rows and columns of one block of J.
    var blockShape: (rows: Int, columns: Int) {
        transposed ? (pattern.columns, pattern.rows) : (pattern.rows, pattern.columns)
    }
}

/// Where the values of a sparse Jacobian come from.
public enum SparseValues {
    /// Fixed when the graph is built (selections: all ones).
    case constant([Double])
    /// The elements of an input of the op (the weights of a sparse layer).
    case input(Int)
    /// Computed for each run from saved values into a buffer of `nonzeroCount` doubles.
    case computed(reads: [SavedValue], fill: (_ arguments: SparseValueArguments, _ values: UnsafeMutablePointer<Double>) -> Void)
}

/// A backward rule the op supplies: it writes (or, when `accumulate` is set, adds)
/// Jᵀ·g into the input's gradient.
public struct DenseDerivative {
    /// The saved values the rule reads.
    public let reads: [SavedValue]
    /// Element counts of the scratch buffers the rule needs (planned like any buffer).
    public let scratch: [Int]
    public let rule: (_ arguments: BackwardArguments) throws(EngineError) -> Void

    public init(reads: [SavedValue], scratch: [Int] = [],
                rule: @escaping (_ arguments: BackwardArguments) throws(EngineError) -> Void) {
        self.reads = reads
        self.scratch = scratch
        self.rule = rule
    }
}
