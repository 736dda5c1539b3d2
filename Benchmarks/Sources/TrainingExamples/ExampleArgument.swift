import Engine

/// A size, step count or rate an example cannot run with is
/// `EngineError.invalidArgument` naming the example, never a crash.
func requireArgument(_ condition: Bool, _ example: String, _ reason: @autoclosure () -> String) throws(EngineError) {
    guard condition else { throw .invalidArgument(op: example, shape: [], reason: reason()) }
}
