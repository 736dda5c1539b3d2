import DistributedEngine

/// A check failed: what was expected and what happened.
struct CheckFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs named checks on every rank (each check is collective) and counts
/// failures; `finish` agrees on the total so that every rank exits the same way.
final class Harness {
    let world: Communicator
    private(set) var failures = 0
    private(set) var count = 0

    init(world: Communicator) { self.world = world }

    func check(_ name: String, _ body: () throws -> Void) {
        count += 1
        do {
            try body()
            if world.rank == 0 { print("PASS \(name) [np=\(world.size)]") }
        } catch {
            failures += 1
            print("FAIL \(name) [np=\(world.size), rank \(world.rank)]: \(error)")
        }
    }

    /// Total failures over the ranks.
    func finish() throws -> Int {
        var total: [Int64] = [Int64(failures)]
        try world.allreduce(&total, .sum)
        if world.rank == 0 { print("\(count) checks on \(world.size) rank(s), \(total[0]) failure(s) summed over ranks") }
        return Int(total[0])
    }
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(message()) }
}
