package dev.flotilla.operator.pools;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.ClientsSpec;
import dev.flotilla.core.spec.ResourcesSpec;
import dev.flotilla.core.spec.SpecValidator;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a ClientPool spec: core's schema rules ({@link SpecValidator}) plus what only Kubernetes
 * cares about (parseable quantities, a valid affinity, generated ids usable as label values). Every
 * problem names its field.
 */
public final class ClientPoolValidator {

  /** Client ids are Kubernetes label values (the {@code flotilla.dev/client} label). */
  private static final Pattern LABEL_VALUE =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ClientPoolValidator() {}

  /** The outcome: the number of clients, or the problems found. */
  public record Result(int clients, List<String> problems) {

    /** True when no problem was found. */
    public boolean valid() {
      return problems.isEmpty();
    }

    /** All problems joined into one condition message. */
    public String message() {
      return String.join("; ", problems);
    }
  }

  /** Validates {@code spec}; never throws. */
  public static Result validate(ClientPoolSpec spec) {
    List<String> problems = new ArrayList<>(SpecValidator.validate(spec));
    if (spec == null) {
      return new Result(0, problems);
    }
    ClientsSpec clients = spec.getClients();
    int count = 0;
    if (clients != null && clients.getCount() != null && clients.getCount() > 0) {
      count = clients.getCount();
      String lastId = clients.getIdPrefix() + (count - 1);
      if (!LABEL_VALUE.matcher(lastId).matches()) {
        problems.add(
            "spec.clients.idPrefix: generated id '"
                + lastId
                + "' is not a Kubernetes label value (at most 63 letters, digits, '-', '_', '.')");
      }
    } else if (clients != null && clients.getList() != null) {
      count = clients.getList().size();
    }
    ResourcesSpec resources = spec.getResources();
    if (resources != null) {
      checkQuantities("spec.resources.requests", resources.getRequests(), problems);
      checkQuantities("spec.resources.limits", resources.getLimits(), problems);
    }
    if (spec.getAffinity() != null && !spec.getAffinity().isNull()) {
      try {
        SERIALIZATION.convertValue(spec.getAffinity(), Affinity.class);
      } catch (RuntimeException e) {
        problems.add("spec.affinity is not a Kubernetes Affinity: " + e.getMessage());
      }
    }
    return new Result(count, List.copyOf(problems));
  }

  private static void checkQuantities(
      String field, Map<String, String> quantities, List<String> problems) {
    if (quantities == null) {
      return;
    }
    quantities.forEach(
        (name, value) -> {
          try {
            Quantity.getAmountInBytes(new Quantity(value));
          } catch (RuntimeException e) {
            problems.add(field + "[" + name + "]: '" + value + "' is not a Kubernetes quantity");
          }
        });
  }
}
