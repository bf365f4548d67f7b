package dev.flotilla.model.train;

/**
 * The per-client seed of a round's shuffling and dropout, derived from the federation's seed, the
 * client id and the round, so that clients and rounds draw different streams from one seed. The
 * trainer and the experiments use this one formula (recorded results depend on it bit for bit).
 */
public final class ClientSeeds {
  private ClientSeeds() {}

  /**
   * The seed of {@code clientId}'s training in {@code round} of a federation seeded {@code seed}.
   */
  public static long of(long seed, String clientId, int round) {
    return seed * 1_000_003L + clientId.hashCode() * 31L + round;
  }
}
