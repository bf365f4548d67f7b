package dev.flotilla.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds fields a Kubernetes API server would reject under strict field validation (kubectl's
 * default): the object is read into Fabric8's typed model of its kind, and every field that no
 * model property accepted (kept in the model's {@code additionalProperties}) is reported with its
 * path.
 */
public final class UnknownFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UnknownFields() {}

  /**
   * The dotted paths of unknown fields in {@code object}.
   *
   * @throws IllegalArgumentException if Fabric8 has no model for the object's apiVersion and kind
   */
  public static List<String> of(Map<String, Object> object) {
    KubernetesResource typed = JSON.convertValue(object, KubernetesResource.class);
    if (typed == null || typed.getClass().getName().endsWith(".GenericKubernetesResource")) {
      throw new IllegalArgumentException(
          "no typed model for " + object.get("apiVersion") + " " + Yaml.id(object));
    }
    List<String> unknown = new ArrayList<>();
    walk(typed, "", unknown);
    return unknown;
  }

  private static void walk(Object value, String path, List<String> unknown) {
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          walk(list.get(i), path + "[" + i + "]", unknown);
        }
      } else if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> walk(v, path + "." + k, unknown));
      }
      return;
    }
    try {
      for (PropertyDescriptor property :
          Introspector.getBeanInfo(value.getClass(), Object.class).getPropertyDescriptors()) {
        if (property.getReadMethod() == null) {
          continue;
        }
        Object child = property.getReadMethod().invoke(value);
        if (property.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> unknown.add((path + "." + k).substring(1)));
        } else {
          walk(child, path + "." + property.getName(), unknown);
        }
      }
    } catch (IntrospectionException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot inspect " + value.getClass(), e);
    }
  }
}
