package dev.flotilla.local.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.spec.BaseModelSpec;
import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSelector;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.ClientsSpec;
import dev.flotilla.core.spec.EvaluationSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.local.spec.ManifestException;
import dev.flotilla.local.spec.Resource;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The federation a manifest file describes: its one Federation and the ClientPools of the file its
 * {@code spec.clientPools} selects (by names or by labels, as the operator selects them).
 *
 * @param name the Federation's name
 * @param spec its spec (defaults applied; {@code file:} and relative URIs made absolute)
 * @param pools the selected pools by name (data URIs made absolute)
 * @param baseDirectory the manifest's directory, against which {@code file:} URIs resolve
 */
public record FederationBundle(
    String name, FederationSpec spec, Map<String, ClientPoolSpec> pools, Path baseDirectory) {

  /**
   * Builds the bundle from the validated resources of {@code file}.
   *
   * @throws ManifestException when the file does not hold exactly one Federation
   */
  public static FederationBundle of(Path file, List<Resource> resources) throws ManifestException {
    List<Resource> federations =
        resources.stream().filter(r -> r.kind().equals("Federation")).toList();
    if (federations.size() != 1) {
      throw new ManifestException(
          file + ": expected exactly one Federation, found " + federations.size());
    }
    Resource federation = federations.get(0);
    FederationSpec spec = convert(federation, FederationSpec.class);
    Map<String, ClientPoolSpec> pools = new TreeMap<>();
    for (Resource r : resources) {
      if (r.kind().equals("ClientPool") && selects(spec.getClientPools(), r)) {
        pools.put(r.name(), convert(r, ClientPoolSpec.class));
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    LocalUris uris = new LocalUris(dir);
    try {
      localize(spec, uris);
      pools.forEach((name, pool) -> localize(name, pool, uris));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(file + ": " + e.getMessage());
    }
    return new FederationBundle(federation.name(), spec, pools, dir);
  }

  /** Rewrites {@code file:} and relative URIs of the spec to absolute local paths. */
  private static void localize(FederationSpec spec, LocalUris uris) {
    BaseModelSpec model = spec.getBaseModel();
    model.setUri(uris.resolve("spec.baseModel.uri", model.getUri()));
    if (model.getTokenizer() != null) {
      model.setTokenizer(uris.resolve("spec.baseModel.tokenizer", model.getTokenizer()));
    }
    if (spec.getEvaluation() != null) {
      EvaluationSpec evaluation = spec.getEvaluation();
      evaluation.setDataUri(uris.resolve("spec.evaluation.dataUri", evaluation.getDataUri()));
    }
  }

  private static void localize(String name, ClientPoolSpec pool, LocalUris uris) {
    ClientsSpec clients = pool.getClients();
    String where = "ClientPool " + name + ": spec.clients.";
    if (clients.getDataUriTemplate() != null) {
      clients.setDataUriTemplate(
          uris.resolve(where + "dataUriTemplate", clients.getDataUriTemplate()));
    }
    if (clients.getList() != null) {
      for (int i = 0; i < clients.getList().size(); i++) {
        ClientEntry entry = clients.getList().get(i);
        entry.setDataUri(uris.resolve(where + "list[" + i + "].dataUri", entry.getDataUri()));
      }
    }
  }

  private static boolean selects(ClientPoolSelector selector, Resource pool) {
    if (selector.getNames() != null) {
      return selector.getNames().contains(pool.name());
    }
    Map<String, String> wanted = selector.getMatchLabels();
    JsonNode labels = pool.object().path("metadata").path("labels");
    if (wanted == null) {
      return false;
    }
    for (Iterator<Map.Entry<String, String>> it = wanted.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> label = it.next();
      if (!label.getValue().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static <T> T convert(Resource resource, Class<T> type) throws ManifestException {
    try {
      return StorageJson.mapper().treeToValue(resource.object().get("spec"), type);
    } catch (Exception e) {
      throw new ManifestException(
          resource.kind() + " " + resource.name() + ": spec cannot be read: " + e.getMessage());
    }
  }
}
