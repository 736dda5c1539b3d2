// The checks of `make mpi-test`, run under
//   mpirun --allow-run-as-root --oversubscribe -np 2 (and 3) .build/debug/distributed-check
// with Open MPI restricted to loopback (shared memory, or TCP on lo). Every check
// is collective; the exit status is non-zero on every rank when any rank failed.
import DistributedEngine
#if canImport(Glibc)
import Glibc
#endif

let world = try Communicator.world()
let harness = Harness(world: world)
harness.check("bucketLayoutPacksInReadinessOrder") { try checkBucketLayout() }
harness.check("afterRunMatchesSingleProcessManyBuckets") {
    try checkMatchesSingleProcess(world, .afterRun, bucketBytes: 256, minimumCalls: 3)
}
harness.check("afterRunMatchesSingleProcessOneBucket") {
    try checkMatchesSingleProcess(world, .afterRun, bucketBytes: DataParallelProgram.defaultBucketBytes, minimumCalls: 1)
}
harness.check("overlappedMatchesSingleProcessManyBuckets") {
    try checkMatchesSingleProcess(world, .overlapped, bucketBytes: 256, minimumCalls: 3)
}
harness.check("overlappedMatchesSingleProcessOneBucket") {
    try checkMatchesSingleProcess(world, .overlapped, bucketBytes: DataParallelProgram.defaultBucketBytes, minimumCalls: 1)
}
harness.check("afterRunSharedSolveMatchesSingleProcess") { try checkSharedSolve(world, .afterRun) }
harness.check("overlappedSharedSolveMatchesSingleProcess") { try checkSharedSolve(world, .overlapped) }
harness.check("afterRunBitwiseDeterministicAndSameOnEveryRank") { try checkBitwiseDeterministic(world, .afterRun) }
harness.check("overlappedBitwiseDeterministicAndSameOnEveryRank") { try checkBitwiseDeterministic(world, .overlapped) }
harness.check("afterRunAndOverlappedAgree") { try checkModesAgree(world) }
harness.check("afterRunRankFailureMakesEveryRankThrow") { try checkRankFailure(world, .afterRun) }
harness.check("overlappedRankFailureMakesEveryRankThrow") { try checkRankFailure(world, .overlapped) }
harness.check("buildFailureMakesEveryRankThrow") { try checkBuildFailure(world) }
harness.check("shapeDisagreementIsTypedError") { try checkShapeDisagreement(world) }
let failures = try harness.finish()
Communicator.finalize()
exit(failures == 0 ? 0 : 1)
