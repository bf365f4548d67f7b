package dev.flotilla.core.spec;

/** The server optimizers a federation can apply to each round's aggregate. */
public enum ServerOptimizer {
  /** The aggregate is the new global adapter. */
  NONE,
  /** Server learning rate and momentum (FedAvgM). */
  SGD,
  /** FedAdam (FedAvg and HetLoRA only). */
  ADAM,
  /** FedYogi (FedAvg and HetLoRA only). */
  YOGI,
  /** FedAdagrad (FedAvg and HetLoRA only). */
  ADAGRAD
}
