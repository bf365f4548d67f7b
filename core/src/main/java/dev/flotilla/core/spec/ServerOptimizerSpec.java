package dev.flotilla.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * A server optimizer applied to each round's aggregate (Reddi et al., "Adaptive Federated
 * Optimization", ICLR 2021); unset fields take the paper's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerOptimizerSpec {
  @JsonPropertyDescription(
      "NONE, SGD (server learning rate and momentum: FedAvgM), ADAM, YOGI or ADAGRAD. The adaptive"
          + " three need FEDAVG or HETLORA; FLEXLORA takes SGD in factored form.")
  @Default("NONE")
  private ServerOptimizer type = ServerOptimizer.NONE;

  @JsonPropertyDescription(
      "Server learning rate η; default 1 for SGD (plain averaging without momentum), 0.01 for"
          + " ADAM, YOGI and ADAGRAD.")
  @Min(0)
  private Double learningRate;

  @JsonPropertyDescription("SGD momentum β in [0, 1); default 0.")
  @Min(0)
  @Max(0.999999)
  private Double momentum;

  @JsonPropertyDescription("β₁ of ADAM, YOGI and ADAGRAD; default 0.9.")
  @Min(0)
  @Max(0.999999)
  private Double beta1;

  @JsonPropertyDescription("β₂ of ADAM and YOGI; default 0.99.")
  @Min(0)
  @Max(0.999999)
  private Double beta2;

  @JsonPropertyDescription("Adaptivity τ of ADAM, YOGI and ADAGRAD; default 0.001.")
  @Min(0)
  private Double tau;

  @JsonPropertyDescription(
      "FLEXLORA with SGD momentum: rank budget of the factored momentum; default twice the global"
          + " rank.")
  @Min(0)
  private Integer momentumRank;

  /** Returns type: the optimizer. */
  public ServerOptimizer getType() {
    return type;
  }

  /** Sets type. */
  public void setType(ServerOptimizer type) {
    this.type = type;
  }

  /** Returns learningRate: the server learning rate η (null: the optimizer's default). */
  public Double getLearningRate() {
    return learningRate;
  }

  /** Sets learningRate. */
  public void setLearningRate(Double learningRate) {
    this.learningRate = learningRate;
  }

  /** Returns momentum: SGD momentum β (null: 0). */
  public Double getMomentum() {
    return momentum;
  }

  /** Sets momentum. */
  public void setMomentum(Double momentum) {
    this.momentum = momentum;
  }

  /** Returns beta1 (null: 0.9). */
  public Double getBeta1() {
    return beta1;
  }

  /** Sets beta1. */
  public void setBeta1(Double beta1) {
    this.beta1 = beta1;
  }

  /** Returns beta2 (null: 0.99). */
  public Double getBeta2() {
    return beta2;
  }

  /** Sets beta2. */
  public void setBeta2(Double beta2) {
    this.beta2 = beta2;
  }

  /** Returns tau (null: 0.001). */
  public Double getTau() {
    return tau;
  }

  /** Sets tau. */
  public void setTau(Double tau) {
    this.tau = tau;
  }

  /** Returns momentumRank: FlexLoRA's momentum rank budget (null or 0: twice the global rank). */
  public Integer getMomentumRank() {
    return momentumRank;
  }

  /** Sets momentumRank. */
  public void setMomentumRank(Integer momentumRank) {
    this.momentumRank = momentumRank;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ServerOptimizerSpec)) {
      return false;
    }
    ServerOptimizerSpec other = (ServerOptimizerSpec) o;
    return type == other.type
        && Objects.equals(learningRate, other.learningRate)
        && Objects.equals(momentum, other.momentum)
        && Objects.equals(beta1, other.beta1)
        && Objects.equals(beta2, other.beta2)
        && Objects.equals(tau, other.tau)
        && Objects.equals(momentumRank, other.momentumRank);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, learningRate, momentum, beta1, beta2, tau, momentumRank);
  }
}
