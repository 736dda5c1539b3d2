import Engine
import SparseJacobian

/// libFuzzer's entry point: one input, one recipe (sparsity patterns and
/// sparse products, tensor values and allocation, or a small program of random
/// ops, shapes and options, built and run). The only allowed outcomes are a
/// return and a typed error (`EngineError`, `SparseError`); anything else — an
/// untyped error, a trap, a sanitizer report, a wrong error kind for a size the
/// machine cannot hold — is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var reader = ByteReader(data, size)
    do {
        switch reader.int(below: 3) {
        case 0: try FuzzPatterns.run(&reader)
        case 1: try FuzzTensors.run(&reader)
        default: try FuzzPrograms.run(&reader)
        }
    } catch is EngineError {
    } catch is SparseError {
    } catch {
        fatalError("untyped error \(type(of: error)): \(error)")
    }
    return 0
}
