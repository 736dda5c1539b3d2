/// Where a buffer's memory comes from.
enum BufferStorage: Equatable {
    /// A place in the planned arena (or, in eager mode, an allocation of its own).
    case arena
    /// The caller's storage, bound at the start of each run: an input tensor
    /// (read only), the seed, or the result's output and gradients. Never in the arena.
    case external(ExternalSlot)
    /// A constant's elements, owned by the program and filled once when it is built.
    case constant
    /// Inside the caller's storage of a requested gradient (the buffer `host`), at
    /// byte `offset`, before the step that first writes that gradient
    /// (`GradientStorageLending`); bound for each run after the gradients are.
    case lent(host: Int, offset: Int)
}

/// A tensor the caller hands to a run or receives from it.
enum ExternalSlot: Hashable {
    case input(Int)
    case output
    /// The k-th auxiliary output (a value returned beside the output, not differentiated).
    case auxiliary(Int)
    case seed
    /// The gradient of the k-th requested input, in request order.
    case gradient(Int)

    /// Whether a run may write it: inputs and the seed belong to the caller.
    var isWritable: Bool {
        switch self {
        case .input, .seed: return false
        case .output, .auxiliary, .gradient: return true
        }
    }
}

/// One buffer of the forward or backward pass: its role, the node it belongs
/// to, its shape and where its memory comes from. Lifetimes are not stored
/// here: `Liveness` computes them from what the steps declare they touch.
struct BufferSpec {
    enum Role: String {
        case input, constant, value, seed, gradient, scratch, jacobianValues
    }

    let role: Role
    /// The node it belongs to (for names and errors).
    let node: Int
    let shape: [Int]
    let elements: Int
    var storage: BufferStorage
    /// Alive for the whole run (the baseline's copies of inputs, seed, output and gradients).
    var pinned: Bool

    init(role: Role, node: Int, shape: [Int], elements: Int? = nil, storage: BufferStorage = .arena, pinned: Bool = false) {
        self.role = role
        self.node = node
        self.shape = shape
        self.elements = elements ?? Shape.count(shape)
        self.storage = storage
        self.pinned = pinned
    }

    var bytes: Int { elements * MemoryLayout<Double>.stride }
    var inArena: Bool { storage == .arena }
}
