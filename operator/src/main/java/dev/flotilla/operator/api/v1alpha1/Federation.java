package dev.flotilla.operator.api.v1alpha1;

import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.FederationStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A federated LoRA fine-tuning run: rounds of sampled trainers and one aggregator each.
 *
 * <p>The printer columns are listed in the order {@code kubectl get} shows them; {@link
 * dev.flotilla.operator.crd.DeclaredPrinterColumnOrder} keeps that order in the generated CRD.
 */
@Group(Federation.GROUP)
@Version(Federation.VERSION)
@ShortNames("fed")
@AdditionalPrinterColumn(
    name = "Round",
    jsonPath = ".status.currentRound",
    type = Type.INTEGER,
    getDescription = "The round in progress, or the last round once Completed.")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = Type.STRING,
    getDescription = "Lifecycle phase.")
@AdditionalPrinterColumn(
    name = "Clients",
    jsonPath = ".status.totalClients",
    type = Type.INTEGER,
    getDescription = "Number of clients across the selected ClientPools.")
@AdditionalPrinterColumn(
    name = "Loss",
    jsonPath = ".status.history[-1:].meanTrainLoss",
    type = Type.NUMBER,
    getDescription = "Mean training loss of the last ended round.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = Type.DATE,
    getDescription = "Time since the Federation was created.")
@ValidationRule(
    value = "self.metadata.name.size() <= 63",
    fieldPath = ".metadata.name",
    message =
        "metadata.name must be at most 63 characters: it is the flotilla.dev/federation label"
            + " value of every Job")
public class Federation extends CustomResource<FederationSpec, FederationStatus>
    implements Namespaced {

  /** API group of every Flotilla resource. */
  public static final String GROUP = "flotilla.dev";

  /** API version of this resource. */
  public static final String VERSION = "v1alpha1";
}
