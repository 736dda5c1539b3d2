/// What a run returns: the output, the auxiliary outputs and the gradients asked for.
public struct ProgramResult: Equatable, Sendable {
    public internal(set) var value: TensorValue
    /// The auxiliary outputs (values returned beside the output, not
    /// differentiated), in the order of `auxiliaryNames`.
    public internal(set) var auxiliary: [TensorValue]
    /// The auxiliary outputs' names, as the program was given them.
    public let auxiliaryNames: [String]
    /// ∂(seed·output)/∂input for each requested input, in request order.
    public internal(set) var gradients: [TensorValue]

    /// The auxiliary output of this name, nil if the program has none of that name.
    public subscript(auxiliary name: String) -> TensorValue? {
        auxiliaryNames.firstIndex(of: name).map { auxiliary[$0] }
    }
}
