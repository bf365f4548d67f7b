package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.ClientsSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientDirectoryTest {

  static ClientPoolSpec generated(int count, int rank, String prefix) {
    ClientsSpec clients = new ClientsSpec();
    clients.setCount(count);
    clients.setIdPrefix(prefix);
    clients.setDataUriTemplate("s3://data/" + prefix + "{index}.jsonl");
    ClientPoolSpec pool = new ClientPoolSpec();
    pool.setClients(clients);
    pool.setRank(rank);
    return pool;
  }

  static ClientPoolSpec listed(int rank, ClientEntry... entries) {
    ClientsSpec clients = new ClientsSpec();
    clients.setList(List.of(entries));
    ClientPoolSpec pool = new ClientPoolSpec();
    pool.setClients(clients);
    pool.setRank(rank);
    return pool;
  }

  static ClientEntry entry(String id, Integer rank) {
    ClientEntry e = new ClientEntry();
    e.setId(id);
    e.setDataUri("/data/" + id + ".jsonl");
    e.setRank(rank);
    return e;
  }

  @Test
  void expandsGeneratedAndListedClientsSortedById() {
    List<ClientRef> clients =
        ClientDirectory.resolve(
            Map.of(
                "gen", generated(3, 4, "edge-"),
                "big", listed(8, entry("zeta", null), entry("alpha", 16))));

    assertThat(clients)
        .containsExactly(
            new ClientRef("alpha", "big", 16, "/data/alpha.jsonl"),
            new ClientRef("edge-0", "gen", 4, "s3://data/edge-0.jsonl"),
            new ClientRef("edge-1", "gen", 4, "s3://data/edge-1.jsonl"),
            new ClientRef("edge-2", "gen", 4, "s3://data/edge-2.jsonl"),
            new ClientRef("zeta", "big", 8, "/data/zeta.jsonl"));
  }

  @Test
  void idTemplateIsSubstituted() {
    ClientPoolSpec pool = generated(1, 4, "p-");
    pool.getClients().setDataUriTemplate("s3://data/{id}/train.jsonl");

    assertThat(ClientDirectory.expand("x", pool).get(0).dataUri())
        .isEqualTo("s3://data/p-0/train.jsonl");
  }

  @Test
  void duplicateIdsAcrossPoolsNameBothPools() {
    assertThatThrownBy(
            () ->
                ClientDirectory.resolve(
                    Map.of("a", listed(4, entry("x", null)), "b", listed(4, entry("x", null)))))
        .hasMessageContaining("client id x appears in ClientPool a and in ClientPool b");
  }
}
