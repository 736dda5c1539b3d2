/// Where each gradient lies in the flat, contiguous bucket storage of a
/// data-parallel run, and which buckets there are.
///
/// Gradients are taken in the order the backward pass finishes them (the
/// schedule fixes it: `Program.gradientFinalSteps`) and appended to the current
/// bucket until it holds at least `capacity` doubles; then the next gradient
/// opens a new bucket (PyTorch DDP's rule: a bucket is closed once it reaches
/// the cap, so a large gradient takes the small ones finished before it along).
/// The last bucket also holds `trailing` extra doubles (the output value and the
/// failure flag ride there). Buckets are
/// consecutive in the storage: bucket b is `starts[b]..<starts[b + 1]`.
/// Building it costs O(number of gradients).
public struct BucketLayout: Equatable, Sendable {
    /// Offset (in doubles) of each gradient, in request order.
    public let offsets: [Int]
    /// Bucket of each gradient, in request order.
    public let bucketOf: [Int]
    /// First element of each bucket, then the total length.
    public let starts: [Int]
    /// Number of gradients each bucket holds.
    public let gradientCounts: [Int]
    /// Offset of the trailing doubles (in the last bucket).
    public let trailingOffset: Int

    public var bucketCount: Int { starts.count - 1 }
    public var totalCount: Int { starts.last! }

    /// - Parameters:
    ///   - counts: elements of each gradient, in request order.
    ///   - order: the request indices in the order the gradients become final.
    ///   - capacity: doubles at which a bucket is closed.
    public init(counts: [Int], order: [Int], capacity: Int, trailing: Int = 0) throws(DistributedError) {
        guard capacity > 0 else { throw .invalidArgument("bucket capacity \(capacity) must be positive") }
        guard order.sorted() == Array(counts.indices) else {
            throw .invalidArgument("order \(order) is not a permutation of 0..<\(counts.count)")
        }
        var offsets = [Int](repeating: 0, count: counts.count)
        var bucketOf = [Int](repeating: 0, count: counts.count)
        var starts = [0], gradientCounts = [Int]()
        var filled = 0, inBucket = 0
        for k in order {
            if inBucket > 0 && filled - starts.last! >= capacity {
                starts.append(filled)
                gradientCounts.append(inBucket)
                inBucket = 0
            }
            offsets[k] = filled
            bucketOf[k] = starts.count - 1
            filled += counts[k]
            inBucket += 1
        }
        gradientCounts.append(inBucket)
        self.trailingOffset = filled
        starts.append(filled + trailing)
        self.offsets = offsets
        self.bucketOf = bucketOf
        self.starts = starts
        self.gradientCounts = gradientCounts
    }
}
