package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.BaseModelSpec;
import dev.flotilla.core.spec.ClientPoolSelector;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.SamplingSpec;
import dev.flotilla.core.spec.StorageSpec;
import dev.flotilla.core.spec.TaskKind;
import dev.flotilla.core.spec.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Specs and pools for protocol tests. */
final class Fixtures {

  static final String FED = "fed";

  private Fixtures() {}

  /** A valid spec: {@code rounds} rounds, {@code perRound} sampled, quorum {@code minClients}. */
  static FederationSpec spec(int rounds, int perRound, int minClients) {
    FederationSpec spec = new FederationSpec();
    BaseModelSpec base = new BaseModelSpec();
    base.setUri("s3://models/minilm/");
    spec.setBaseModel(base);
    TaskSpec task = new TaskSpec();
    task.setType(TaskKind.SEQUENCE_CLASSIFICATION);
    task.setNumLabels(2);
    spec.setTask(task);
    spec.setRounds(rounds);
    SamplingSpec sampling = new SamplingSpec();
    sampling.setClientsPerRound(perRound);
    sampling.setMinClients(minClients);
    sampling.setSeed(11L);
    spec.setSampling(sampling);
    spec.setRoundTimeout("30m");
    StorageSpec storage = new StorageSpec();
    storage.setBucket("flotilla");
    spec.setStorage(storage);
    ClientPoolSelector selector = new ClientPoolSelector();
    selector.setNames(List.of("small", "large"));
    spec.setClientPools(selector);
    return spec;
  }

  /** Two pools: {@code small} (rank 4) and {@code large} (rank 8), {@code each} clients each. */
  static Map<String, ClientPoolSpec> pools(int each) {
    Map<String, ClientPoolSpec> pools = new LinkedHashMap<>();
    pools.put("small", ClientDirectoryTest.generated(each, 4, "s"));
    pools.put("large", ClientDirectoryTest.generated(each, 8, "l"));
    return pools;
  }
}
