import Foundation

extension GaussianPrecisionExample.Outcome {
    /// The log-likelihood per node over the steps beside τ = exp θ with the
    /// closed-form maximum-likelihood τ̂ and the τ the sample was drawn with.
    public func figure() -> SVGElement {
        let steps = thetas.indices.map(Double.init)
        let likelihood = LineChart(
            title: "Log-likelihood of the sample (\(nodes) nodes)",
            xTitle: "Adam step", yTitle: "log p(x) / n (nats per node)",
            series: [.init(name: "log-likelihood per node", points: zip(steps, logLikelihoodPerNode).map { (x: $0, y: $1) },
                           colour: "#2c5282")],
            legendRows: 3)
        let scale = LineChart(
            title: "Precision scale τ = exp θ",
            xTitle: "Adam step", yTitle: "τ",
            series: [.init(name: "fitted τ", points: zip(steps, thetas).map { (x: $0, y: exp($1)) }, colour: "#2f855a")],
            references: [
                .init(name: String(format: "closed form τ̂ = n / xᵀ(L+I)x = %.4f", exp(closedForm)), y: exp(closedForm),
                      colour: "#dd6b20"),
                .init(name: String(format: "τ the sample was drawn with = %.4g", exp(trueTheta)), y: exp(trueTheta),
                      colour: "#718096"),
            ])
        return .row([likelihood.element(), scale.element()], gap: 32)
    }
}
