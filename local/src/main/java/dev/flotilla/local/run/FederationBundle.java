package dev.flotilla.local.run;

import dev.flotilla.core.spec.BaseModelSpec;
import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.ClientsSpec;
import dev.flotilla.core.spec.EvaluationSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.PoolAccess;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.local.spec.ManifestException;
import dev.flotilla.local.spec.Resource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The federation a manifest file describes: its one Federation and the ClientPools of the file its
 * {@code spec.clientPools} selects (by names, labels or namespace and name, with the same grant
 * check as the operator: {@link PoolAccess}).
 *
 * @param name the Federation's name
 * @param spec its spec (defaults applied; {@code file:} and relative URIs made absolute)
 * @param pools the selected pools by pool key (data URIs made absolute)
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
    String namespace = namespaceOf(federation);
    Map<String, ClientPoolSpec> pools = new TreeMap<>();
    for (Resource r : resources) {
      if (!r.kind().equals("ClientPool")) {
        continue;
      }
      Optional<String> key =
          PoolAccess.selects(
              namespace, spec.getClientPools(), namespaceOf(r), r.name(), labelsOf(r));
      if (key.isEmpty()) {
        continue;
      }
      ClientPoolSpec pool = convert(r, ClientPoolSpec.class);
      // The same two-sided grant as on a cluster: a pool of another namespace must accept this
      // Federation in its spec.allowedFederations.
      if (!PoolAccess.grants(pool, namespaceOf(r), namespace, federation.name())) {
        throw new ManifestException(
            file
                + ": "
                + PoolAccess.notGranted(namespaceOf(r), r.name(), namespace, federation.name()));
      }
      pools.put(key.get(), pool);
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

  /** The resource's namespace; {@code default} when the manifest names none, as kubectl does. */
  private static String namespaceOf(Resource resource) {
    return resource.object().path("metadata").path("namespace").asText("default");
  }

  private static Map<String, String> labelsOf(Resource resource) {
    Map<String, String> labels = new TreeMap<>();
    resource
        .object()
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
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
