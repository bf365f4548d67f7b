package dev.flotilla.operator.reconciler;

import dev.flotilla.core.protocol.ClientDirectory;
import dev.flotilla.core.protocol.RoundProtocol;
import dev.flotilla.core.spec.BaseModelSpec;
import dev.flotilla.core.spec.ClientEntry;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.SpecValidator;
import dev.flotilla.operator.api.v1alpha1.Federation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks of a Federation that need no I/O, run first in every reconcile so that a spec the
 * schema would refuse never reaches object storage: its name and spec ({@link SpecValidator}, the
 * same bounds as the CRD schema), its pools (missing, invalid, too many clients together, from
 * counts with nothing expanded), and what only a cluster refuses: {@code file:} URIs, which name
 * files next to a local manifest and which only {@code ./flotilla run} resolves.
 */
final class SpecGate {

  private SpecGate() {}

  /** Every problem of {@code federation} and its selected {@code pools}; empty when it may run. */
  static List<String> problems(Federation federation, Map<String, ClientPoolSpec> pools) {
    List<String> problems = new ArrayList<>();
    problems.addAll(SpecValidator.validateFederationName(federation.getMetadata().getName()));
    FederationSpec spec = federation.getSpec();
    problems.addAll(SpecValidator.validate(spec));
    if (!problems.isEmpty() || spec == null) {
      return problems;
    }
    problems.addAll(RoundProtocol.poolProblems(spec, pools));
    try {
      ClientDirectory.checkSize(pools);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    BaseModelSpec model = spec.getBaseModel();
    noFileUri("spec.baseModel.uri", model.getUri(), problems);
    noFileUri("spec.baseModel.tokenizer", model.getTokenizer(), problems);
    if (spec.getEvaluation() != null) {
      noFileUri("spec.evaluation.dataUri", spec.getEvaluation().getDataUri(), problems);
    }
    pools.forEach(
        (name, pool) -> {
          if (pool.getClients() == null) {
            return;
          }
          String where = "ClientPool " + name + ": spec.clients.";
          noFileUri(where + "dataUriTemplate", pool.getClients().getDataUriTemplate(), problems);
          List<ClientEntry> list = pool.getClients().getList();
          for (int i = 0; list != null && i < list.size(); i++) {
            noFileUri(where + "list[" + i + "].dataUri", list.get(i).getDataUri(), problems);
          }
        });
    return problems;
  }

  private static void noFileUri(String field, String uri, List<String> problems) {
    if (uri != null && uri.startsWith("file:")) {
      problems.add(
          field
              + ": file: URIs name files next to a local manifest (./flotilla run); in a cluster"
              + " use s3://bucket/key or an absolute path inside the image");
    }
  }
}
