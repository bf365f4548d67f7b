package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.ClientsSpec;
import dev.flotilla.core.spec.SpecBounds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Expands ClientPools into the federation's client list, sorted by id. */
public final class ClientDirectory {

  private ClientDirectory() {}

  /**
   * Resolves the clients of {@code pools} (pool name to spec).
   *
   * @throws IllegalArgumentException naming the pools when a client id appears twice, a pool's
   *     clients are malformed, or the pools hold more than {@link SpecBounds#CLIENTS} clients
   *     together (checked before a single client is expanded)
   */
  public static List<ClientRef> resolve(Map<String, ClientPoolSpec> pools) {
    checkSize(pools);
    List<ClientRef> clients = new ArrayList<>();
    Map<String, String> poolOfId = new HashMap<>();
    for (Map.Entry<String, ClientPoolSpec> pool : new TreeMap<>(pools).entrySet()) {
      for (ClientRef client : expand(pool.getKey(), pool.getValue())) {
        String previous = poolOfId.putIfAbsent(client.id(), pool.getKey());
        if (previous != null) {
          throw new IllegalArgumentException(
              "client id "
                  + client.id()
                  + " appears in ClientPool "
                  + previous
                  + " and in ClientPool "
                  + pool.getKey());
        }
        clients.add(client);
      }
    }
    clients.sort(Comparator.comparing(ClientRef::id));
    return clients;
  }

  /**
   * Refuses pools that hold more than {@link SpecBounds#CLIENTS} clients together, from their
   * counts and list sizes alone (nothing is expanded).
   *
   * @throws IllegalArgumentException naming spec.clientPools and the limit
   */
  public static void checkSize(Map<String, ClientPoolSpec> pools) {
    long total = 0;
    for (ClientPoolSpec pool : pools.values()) {
      ClientsSpec spec = pool.getClients();
      if (spec != null && spec.getCount() != null) {
        total += Math.max(0, spec.getCount());
      } else if (spec != null && spec.getList() != null) {
        total += spec.getList().size();
      }
    }
    if (total > SpecBounds.CLIENTS) {
      throw new IllegalArgumentException(
          "spec.clientPools: the selected ClientPools hold "
              + total
              + " clients, more than the "
              + SpecBounds.CLIENTS
              + " a Federation may have");
    }
  }

  /** The clients of one pool, in pool order. */
  public static List<ClientRef> expand(String poolName, ClientPoolSpec pool) {
    String where = "ClientPool " + poolName;
    if (pool.getRank() == null || pool.getRank() < 1) {
      throw new IllegalArgumentException(where + ": spec.rank must be >= 1");
    }
    ClientsSpec spec = pool.getClients();
    if (spec == null) {
      throw new IllegalArgumentException(where + ": spec.clients is required");
    }
    checkSize(Map.of(poolName, pool));
    List<ClientRef> clients = new ArrayList<>();
    if (spec.getList() != null && spec.getCount() == null) {
      for (int i = 0; i < spec.getList().size(); i++) {
        ClientEntry entry = spec.getList().get(i);
        if (entry.getId() == null || entry.getDataUri() == null) {
          throw new IllegalArgumentException(
              where + ": spec.clients.list[" + i + "] needs id and dataUri");
        }
        int rank = entry.getRank() != null ? entry.getRank() : pool.getRank();
        clients.add(new ClientRef(entry.getId(), poolName, rank, entry.getDataUri()));
      }
    } else if (spec.getCount() != null && spec.getList() == null) {
      if (spec.getDataUriTemplate() == null) {
        throw new IllegalArgumentException(
            where + ": spec.clients.dataUriTemplate is required with count");
      }
      for (int index = 0; index < spec.getCount(); index++) {
        String id = spec.getIdPrefix() + index;
        String dataUri =
            spec.getDataUriTemplate()
                .replace("{index}", Integer.toString(index))
                .replace("{id}", id);
        clients.add(new ClientRef(id, poolName, pool.getRank(), dataUri));
      }
    } else {
      throw new IllegalArgumentException(
          where + ": set exactly one of spec.clients.list and spec.clients.count");
    }
    return clients;
  }
}
