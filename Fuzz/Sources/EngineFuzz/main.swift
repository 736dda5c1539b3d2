import CFuzzerDriver
import Glibc

// SwiftPM gives an executable's entry point its own name, so libFuzzer's
// `main` cannot be used: start its driver from here with the same arguments.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
