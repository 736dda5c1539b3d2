/// Bytes live at each step of `0..<stepCount`, counting a takeover once.
///
/// A buffer counts its size at every step where it is live, except that a buffer which takes
/// over another counts from the step after its first step: at the hand-over step the slot is
/// already counted by the buffer handed over, which is at least as large. So a chain of in-place
/// buffers live at one step counts once, at its largest live member's size: the memory it needs.
/// Sizes are counted as given, without alignment padding, so the maximum is a true lower bound.
/// O(n + T).
func liveBytesPerStep(_ buffers: [Buffer], stepCount: Int, aliases: [InPlaceAlias]) -> [Int] {
    var takes = [Bool](repeating: false, count: buffers.count)
    for alias in aliases { takes[alias.buffer] = true }
    var live = [Int](repeating: 0, count: stepCount + 1)
    for (b, buffer) in buffers.enumerated() where buffer.size > 0 {
        let first = buffer.liveFirst() + (takes[b] ? 1 : 0)
        let last = buffer.liveLast(stepCount: stepCount)
        guard first <= last else { continue }
        live[first] += buffer.size
        live[last + 1] -= buffer.size
    }
    for step in 0..<stepCount { live[step + 1] += live[step] }
    live.removeLast()
    return live
}
