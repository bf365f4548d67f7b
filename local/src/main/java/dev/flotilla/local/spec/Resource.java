package dev.flotilla.local.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One validated, defaulted custom resource from a manifest file.
 *
 * @param kind the resource kind, e.g. {@code Federation}
 * @param name {@code metadata.name}
 * @param object the whole object (apiVersion, kind, metadata, spec) after defaulting
 */
public record Resource(String kind, String name, ObjectNode object) {}
