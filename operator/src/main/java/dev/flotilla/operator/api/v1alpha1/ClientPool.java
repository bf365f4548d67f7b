package dev.flotilla.operator.api.v1alpha1;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.ClientPoolStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A group of clients sharing a LoRA rank and a trainer pod template, usable by any Federation. */
@Group(Federation.GROUP)
@Version(Federation.VERSION)
@ShortNames("cpool")
@AdditionalPrinterColumn(
    name = "Rank",
    jsonPath = ".spec.rank",
    type = Type.INTEGER,
    getDescription = "LoRA rank of the pool's clients.")
@AdditionalPrinterColumn(
    name = "Clients",
    jsonPath = ".status.clients",
    type = Type.INTEGER,
    getDescription = "Number of clients in the pool.")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = Type.STRING,
    getDescription = "Whether the pool is valid.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = Type.DATE,
    getDescription = "Time since the ClientPool was created.")
public class ClientPool extends CustomResource<ClientPoolSpec, ClientPoolStatus>
    implements Namespaced {}
