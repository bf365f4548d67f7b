/**
 * The Federation and ClientPool API: Jackson-bound spec and status classes whose annotations
 * (descriptions, defaults, ranges, CEL rules) generate the CRD schema, the conditions owner {@link
 * dev.flotilla.core.spec.FederationConditions}, and {@link dev.flotilla.core.spec.SpecValidator},
 * which applies the same rules without an API server.
 */
package dev.flotilla.core.spec;
