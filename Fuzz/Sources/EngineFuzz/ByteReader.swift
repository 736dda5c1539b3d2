/// Turns the fuzzer's bytes into choices: small numbers most of the time,
/// extreme ones (negative, `Int.max`, sizes that overflow or cannot be
/// allocated) now and then. Past the end every read is 0, so any input is a
/// complete, deterministic recipe.
struct ByteReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func int(below n: Int) -> Int { n <= 1 ? 0 : Int(byte()) % n }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Dimensions that break things: negative, beyond any allocation, overflowing.
    static let extremeDimensions = [-1, Int.min, Int.max, Int.max - 1, 1 << 40, 1 << 56, 1 << 62]
    /// Extents whose products overflow in pairs (shapes only: alone they fit).
    static let largeExtents = [1 << 31, 1 << 32, 1 << 20]
    /// Tensor extents that break things, 2^56 among them: a few 2^59-byte
    /// buffers are a typed error of the planner, and the schedule's traffic
    /// count saturates (Fuzz/corpus/finding-liveness-traffic-overflow).
    static let extremeExtents = [-1, Int.min, Int.max, Int.max - 1, 1 << 40, 1 << 56, 1 << 62]

    /// A matrix dimension: 0…5 mostly, sometimes extreme.
    mutating func dimension() -> Int {
        let b = byte()
        return b < 240 ? Int(b % 6) : Self.extremeDimensions[Int(b) % Self.extremeDimensions.count]
    }

    /// A tensor extent: 0…4 mostly, sometimes large or extreme.
    mutating func extent() -> Int {
        let b = byte()
        switch b {
        case 0..<232: return Int(b % 5)
        case 232..<244: return Self.largeExtents[Int(b) % Self.largeExtents.count]
        default: return Self.extremeExtents[Int(b) % Self.extremeExtents.count]
        }
    }

    /// A shape of rank 0…3.
    mutating func shape() -> [Int] { (0..<int(below: 4)).map { _ in extent() } }

    /// A small index, −2…9 (out of range now and then).
    mutating func index() -> Int { Int(byte() % 12) - 2 }

    /// A value: small multiples of 1/8 mostly, sometimes a special one.
    static let specialValues: [Double] = [0, -0.0, 1, -1, 0.5, 1e16, -1e16, 1e300, -1e300, .infinity, -.infinity, .nan,
                                          .leastNonzeroMagnitude, 710, -745]
    mutating func double() -> Double {
        let b = byte()
        return b < 224 ? Double(Int(b) - 112) / 8 : Self.specialValues[Int(b) % Self.specialValues.count]
    }

    mutating func doubles(_ count: Int) -> [Double] { (0..<count).map { _ in double() } }
}
