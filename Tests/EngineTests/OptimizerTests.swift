import Engine
import Foundation
import Testing

/// SGD and Adam against their formulas written out by hand, a training loop,
/// in-place and allocation-free steps, parameters by name and by input.
@Suite struct OptimizerTests {
    /// loss = ½ Σ c ⊙ p², gradient c ⊙ p, on input 1 (input 0 is data, not a parameter).
    static let coefficients = TensorValue([1, 4, 0.5])
    static func quadratic() throws -> Program {
        try Program(inputShapes: [[3], [3]], gradientsFor: [1]) { v in
            (v[0] * 0 + Self.coefficients * square(v[1])).sum() * 0.5
        }
    }

    @Test func sgdWithMomentumFollowsItsFormula() throws {
        let program = try Self.quadratic()
        let parameters = try Parameters(program, named: ["p": 1])
        let sgd = try SGD(parameters, learningRate: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01)
        var inputs = [TensorValue([0, 0, 0]), TensorValue([1, -2, 3])]
        // By hand: d = c·p + λp; b₁ = d, b = μb + (1 − τ)d; p −= η b.
        var p = [1.0, -2, 3], b = [0.0, 0, 0]
        var result = program.makeResult()
        for t in 0..<4 {
            try program.run(inputs, into: &result)
            try sgd.step(&inputs, gradients: result)
            for i in 0..<3 {
                let d = Self.coefficients.scalars[i] * p[i] + 0.01 * p[i]
                b[i] = t == 0 ? d : 0.9 * b[i] + 0.8 * d
                p[i] -= 0.1 * b[i]
            }
            for i in 0..<3 { #expect(abs(inputs[1].scalars[i] - p[i]) <= 1e-15 * max(1, abs(p[i]))) }
        }
        #expect(try sgd.momentumBuffer(named: "p") == b)
        #expect(inputs[0].scalars == [0, 0, 0])  // not a parameter: untouched
    }

    @Test func nesterovAndPlainSGD() throws {
        let program = try Self.quadratic()
        let parameters = try Parameters(program, inputs: [1])
        let plain = try SGD(parameters, learningRate: 0.25)
        var inputs = [TensorValue([0, 0, 0]), TensorValue([1, -2, 3])]
        try plain.step(&inputs, gradients: try program.run(inputs))
        // p − η c p = p (1 − η c)
        let plainExpected: [Double] = [0.75, 0, 2.625]
        #expect(inputs[1].scalars == plainExpected)
        let nesterov = try SGD(parameters, learningRate: 0.1, momentum: 0.5, nesterov: true)
        var q = [1.0, -2, 3], b = [0.0, 0, 0]
        inputs[1] = TensorValue(q)
        for t in 0..<3 {
            try nesterov.step(&inputs, gradients: try program.run(inputs))
            for i in 0..<3 {
                let d = Self.coefficients.scalars[i] * q[i]
                b[i] = t == 0 ? d : 0.5 * b[i] + d
                q[i] -= 0.1 * (d + 0.5 * b[i])
            }
        }
        #expect(zip(inputs[1].scalars, q).allSatisfy { abs($0 - $1) <= 1e-15 })
    }

    @Test func adamFollowsItsFormula() throws {
        let program = try Self.quadratic()
        for amsgrad in [false, true] {
            let adam = try Adam(try Parameters(program, named: ["p": 1]), learningRate: 0.05, weightDecay: 0.1,
                                amsgrad: amsgrad)
            var inputs = [TensorValue([0, 0, 0]), TensorValue([1, -2, 3])]
            var p = [1.0, -2, 3], m = [0.0, 0, 0], v = [0.0, 0, 0], vMax = [0.0, 0, 0]
            for t in 1...5 {
                try adam.step(&inputs, gradients: try program.run(inputs))
                for i in 0..<3 {
                    let d = Self.coefficients.scalars[i] * p[i] + 0.1 * p[i]
                    m[i] = 0.9 * m[i] + 0.1 * d
                    v[i] = 0.999 * v[i] + 0.001 * d * d
                    vMax[i] = max(vMax[i], v[i])
                    let mHat = m[i] / (1 - pow(0.9, Double(t)))
                    let vHat = (amsgrad ? vMax[i] : v[i]) / (1 - pow(0.999, Double(t)))
                    p[i] -= 0.05 * mHat / (vHat.squareRoot() + 1e-8)
                }
                for i in 0..<3 { #expect(abs(inputs[1].scalars[i] - p[i]) <= 1e-14, "t \(t) i \(i) amsgrad \(amsgrad)") }
            }
            #expect(adam.stepCount == 5)
            let moments = try adam.moments(named: "p")
            #expect(zip(moments.first, m).allSatisfy { abs($0 - $1) <= 1e-14 })
        }
    }

    /// Adam's first step moves every element by the learning rate against the
    /// sign of its gradient (m̂/√v̂ = g/|g|), whatever the gradient's size.
    @Test func adamsFirstStepIsTheLearningRate() throws {
        let program = try Self.quadratic()
        let adam = try Adam(try Parameters(program, inputs: [1]))
        var inputs = [TensorValue([0, 0, 0]), TensorValue([1, -2, 3])]
        try adam.step(&inputs, gradients: try program.run(inputs))
        let expected = [1 - 1e-3, -2 + 1e-3, 3 - 1e-3]
        #expect(zip(inputs[1].scalars, expected).allSatisfy { abs($0 - $1) <= 1e-10 })
    }

    /// Steps write the caller's storage in place: the parameters' and the
    /// result's buffers are the same before and after 200 steps (a copy-on-write
    /// copy or a reallocation would move them).
    @Test func stepsAreInPlaceAndAllocationFree() throws {
        let program = try Program(inputShapes: [[64, 8], [8, 1], [64, 1]], gradientsFor: [1]) { v in
            meanSquaredError(matmul(v[0], v[1]), v[2])
        }
        let x = try TensorValue(shape: [64, 8], scalars: (0..<512).map { sin(Double($0)) })
        var inputs = [x, try TensorValue(repeating: 0, shape: [8, 1]), try TensorValue(repeating: 1, shape: [64, 1])]
        let parameters = try Parameters(program, named: ["w": 1])
        let adam = try Adam(parameters, learningRate: 0.01)
        let sgd = try SGD(parameters, learningRate: 0.01, momentum: 0.9)
        var result = program.makeResult()
        func address(_ t: TensorValue) -> UnsafeRawPointer? { t.scalars.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        try program.run(inputs, into: &result)
        try adam.step(&inputs, gradients: result)
        try sgd.step(&inputs, gradients: result)
        let before = (address(inputs[1]), address(result.gradients[0]))
        for _ in 0..<200 {
            try program.run(inputs, into: &result)
            try adam.step(&inputs, gradients: result)
            try sgd.step(&inputs, gradients: result)
        }
        #expect(address(inputs[1]) == before.0 && address(result.gradients[0]) == before.1)
    }

    /// A least-squares fit of y = X·w_true: Adam brings the loss down by orders
    /// of magnitude and w close to w_true.
    @Test func trainingLoopConverges() throws {
        let n = 40
        let x = try TensorValue(shape: [n, 3], scalars: (0..<(3 * n)).map { k in sin(Double(k * k) * 0.37 + Double(k)) })
        let truth = TensorValue([[0.5], [-1.5], [2.0]].flatMap { $0 })
        let y = try TensorValue(shape: [n, 1], scalars: (0..<n).map { i in
            (0..<3).reduce(0) { $0 + x[i, $1] * truth.scalars[$1] }
        })
        // X and y captured from outside the trace become constants.
        let program = try Program(inputShapes: [[3, 1]], gradientsFor: [0]) { v in meanSquaredError(matmul(x, v[0]), y) }
        let adam = try Adam(try Parameters(program, named: ["w": 0]), learningRate: 0.05)
        var inputs = [try TensorValue(repeating: 0, shape: [3, 1])]
        var result = program.makeResult()
        var losses: [Double] = []
        for _ in 0..<600 {
            try program.run(inputs, into: &result)
            losses.append(result.value.scalar)
            try adam.step(&inputs, gradients: result)
        }
        #expect(losses.last! < 1e-4 * losses.first!, "loss \(losses.first!) → \(losses.last!)")
        #expect(zip(inputs[0].scalars, truth.scalars).allSatisfy { abs($0 - $1) < 1e-2 }, "\(inputs[0].scalars)")
    }

    @Test func badParametersAndHyperParametersAreTypedErrors() throws {
        let program = try Self.quadratic()
        #expect(throws: EngineError.self) { try Parameters(program, inputs: [0]) }       // no gradient for it
        #expect(throws: EngineError.self) { try Parameters(program, inputs: [5]) }       // not an input
        #expect(throws: EngineError.self) { try Parameters(program, named: ["a": 1, "b": 1]) }
        let parameters = try Parameters(program, named: ["p": 1])
        #expect(try parameters.input(named: "p") == 1)
        #expect(throws: EngineError.self) { try parameters.input(named: "q") }
        #expect(throws: EngineError.self) { try SGD(parameters, learningRate: -1) }
        #expect(throws: EngineError.self) { try SGD(parameters, nesterov: true) }
        #expect(throws: EngineError.self) { try Adam(parameters, betas: (0.9, 1.0)) }
        let sgd = try SGD(parameters)
        var wrong = [TensorValue([0, 0, 0]), TensorValue([1, 2])]
        let result = try program.run([TensorValue([0, 0, 0]), TensorValue([1, 2, 3])])
        #expect(throws: EngineError.self) { try sgd.step(&wrong, gradients: result) }
        #expect(wrong[1].scalars == [1, 2])
    }

    /// The training snippet of the README and of the DocC getting-started article, as written.
    @Test func readmeTrainingSnippet() throws {
        let x = try TensorValue(rows: [[1, 2], [3, 4], [5, 6]]), y = try TensorValue(rows: [[1], [0], [2]])
        let program = try Program(inputShapes: [[2, 1]], gradientsFor: [0]) { v in
            meanSquaredError(matmul(x, v[0]), y)
        }
        let adam = try Adam(try Parameters(program, named: ["w": 0]), learningRate: 0.05)
        var inputs = [try TensorValue(repeating: 0, shape: [2, 1])]
        var result = program.makeResult()
        let initial = try program.value(inputs).scalar
        for _ in 0..<500 {
            try program.run(inputs, into: &result)
            try adam.step(&inputs, gradients: result)
        }
        // Least squares by hand: XᵀX = [[35, 44], [44, 56]], Xᵀy = [11, 14], so
        // w = [0, 0.25], residual [−0.5, 1, −0.5], minimum MSE 0.5 (from 5/3 at w = 0).
        #expect(abs(initial - 5.0 / 3) < 1e-12)
        let final = try program.value(inputs).scalar
        #expect(final < 0.5 + 1e-3, "loss \(final)")
        #expect(abs(inputs[0].scalars[0]) < 0.05 && abs(inputs[0].scalars[1] - 0.25) < 0.05, "w \(inputs[0].scalars)")
    }
}
