package dev.flotilla.local.container;

import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.storage.S3Uri;
import dev.flotilla.local.run.FederationBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The local inputs of a federation (base model, tokenizer, evaluation and client data given as
 * paths, not {@code s3://}), mounted read-only at their own paths so the workloads' arguments name
 * them unchanged; a data URI template's directory is mounted whole. Missing paths are left out: the
 * program then reports the missing input itself.
 */
final class InputMounts {
  private InputMounts() {}

  static List<ContainerSpec.Mount> of(FederationBundle bundle) {
    FederationSpec spec = bundle.spec();
    Set<String> paths = new LinkedHashSet<>();
    paths.add(spec.getBaseModel().getUri());
    paths.add(spec.getBaseModel().getTokenizer());
    if (spec.getEvaluation() != null) {
      paths.add(spec.getEvaluation().getDataUri());
    }
    for (ClientPoolSpec pool : bundle.pools().values()) {
      String template = pool.getClients().getDataUriTemplate();
      if (template != null) {
        paths.add(
            template.contains("{")
                ? parentOf(template.substring(0, template.indexOf('{')))
                : template);
      }
      if (pool.getClients().getList() != null) {
        pool.getClients().getList().stream().map(ClientEntry::getDataUri).forEach(paths::add);
      }
    }
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    for (String path : paths) {
      if (path != null && !S3Uri.isS3(path) && Files.exists(Path.of(path))) {
        mounts.add(new ContainerSpec.Mount(Path.of(path), path, true));
      }
    }
    return mounts;
  }

  private static String parentOf(String prefix) {
    return prefix.endsWith("/") ? prefix : Path.of(prefix).getParent().toString();
  }
}
