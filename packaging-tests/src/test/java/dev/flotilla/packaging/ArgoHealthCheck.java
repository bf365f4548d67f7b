package dev.flotilla.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs an Argo CD resource health script (Lua) the way Argo CD does: the resource is the global
 * {@code obj}, the script returns a table with {@code status} and {@code message}.
 */
public final class ArgoHealthCheck {
  /**
   * What the script returned.
   *
   * @param status Healthy, Progressing, Degraded, Suspended, Missing or Unknown
   * @param message the human-readable detail
   */
  public record Health(String status, String message) {}

  private final String script;
  private final String name;

  /** A check from the Lua source in {@code file}. */
  public ArgoHealthCheck(Path file) {
    try {
      this.script = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    this.name = file.getFileName().toString();
  }

  /** Runs the script on {@code object} (a Kubernetes object as nested maps and lists). */
  public Health evaluate(Map<String, Object> object) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(script, name).call();
    if (!result.istable()) {
      throw new AssertionError(name + " returned " + result.typename() + ", not a table");
    }
    return new Health(
        result.get("status").optjstring(null), result.get("message").optjstring(null));
  }

  @SuppressWarnings("unchecked")
  private static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      ((Map<String, Object>) map).forEach((k, v) -> table.set(k, toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Integer || value instanceof Long) {
      return LuaValue.valueOf(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return LuaValue.valueOf(value.toString());
  }
}
