package dev.flotilla.operator.crd;

import dev.flotilla.operator.api.v1alpha1.ClientPool;
import dev.flotilla.operator.api.v1alpha1.Federation;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * CRD post-processor restoring the printer-column order declared on each custom resource class.
 *
 * <p>The Fabric8 CRD generator (v2) emits additional printer columns sorted by JSON path, which
 * would show {@code Age} first. {@code kubectl get} prints columns in CRD order, so this processor
 * reorders them to follow the order of the {@link AdditionalPrinterColumn} annotations on the
 * class. Registered through {@code quarkus.operator-sdk.crd.post-processor}; also used by the CRD
 * tests.
 */
public class DeclaredPrinterColumnOrder implements CRDPostProcessor {

  private static final List<Class<? extends CustomResource<?, ?>>> RESOURCES =
      List.of(Federation.class, ClientPool.class);

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition definition) {
      reorder(definition);
    }
    return crd;
  }

  /** Reorders the printer columns of every version of {@code crd} in place; returns it. */
  public static CustomResourceDefinition reorder(CustomResourceDefinition crd) {
    List<String> declared = declaredColumnNames(crd.getSpec().getNames().getKind());
    if (declared.isEmpty()) {
      return crd;
    }
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns == null || columns.isEmpty()) {
        continue;
      }
      List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
      sorted.sort(Comparator.comparingInt(c -> rank(declared, c.getName())));
      version.setAdditionalPrinterColumns(sorted);
    }
    return crd;
  }

  /** The printer-column names declared on the Flotilla resource of {@code kind}, in order. */
  public static List<String> declaredColumnNames(String kind) {
    return RESOURCES.stream()
        .filter(type -> type.getSimpleName().equals(kind))
        .findFirst()
        .map(
            type ->
                Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name)
                    .toList())
        .orElse(List.of());
  }

  private static int rank(List<String> declared, String name) {
    int index = declared.indexOf(name);
    return index < 0 ? declared.size() : index;
  }
}
