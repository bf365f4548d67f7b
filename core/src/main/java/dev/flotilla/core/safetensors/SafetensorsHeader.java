package dev.flotilla.core.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parsed and validated JSON header of a safetensors file: the tensor entries and the {@code
 * __metadata__} map. Validation follows the reference implementation: every entry has a known
 * dtype, a non-negative shape and {@code data_offsets} whose length is dtype size × element count;
 * the entries cover the data buffer contiguously, without overlap or gap, from byte 0 to its end.
 * Tensor names must be unique.
 */
public final class SafetensorsHeader {
  /** The default cap on the JSON header size (100 MiB, as in the reference implementation). */
  public static final long DEFAULT_MAX_HEADER_BYTES = 100L << 20;

  /** The reserved key of the string-to-string metadata map. */
  public static final String METADATA_KEY = "__metadata__";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final long headerLength;
  private final Map<String, TensorInfo> tensors;
  private final List<TensorInfo> byOffset;
  private final Map<String, String> metadata;

  private SafetensorsHeader(
      long headerLength,
      Map<String, TensorInfo> tensors,
      List<TensorInfo> byOffset,
      Map<String, String> metadata) {
    this.headerLength = headerLength;
    this.tensors = tensors;
    this.byOffset = byOffset;
    this.metadata = metadata;
  }

  /**
   * Checks the 8-byte header length read from {@code source} before anything is allocated.
   *
   * @param length the little-endian u64 as a (possibly negative) long
   * @param maxHeaderBytes the cap on the header size
   * @param available bytes that follow the length prefix
   * @return the length, now known to be small enough to allocate
   */
  static int checkHeaderLength(String source, long length, long maxHeaderBytes, long available)
      throws SafetensorsException {
    String shown = Long.toUnsignedString(length);
    if (length < 0 || length > maxHeaderBytes || length > Integer.MAX_VALUE - 8) {
      throw SafetensorsException.file(
          source,
          "header length "
              + shown
              + " exceeds the cap of "
              + maxHeaderBytes
              + " bytes (not a safetensors file, or a corrupt one)");
    }
    if (length > available) {
      throw SafetensorsException.file(
          source,
          "header length "
              + shown
              + " exceeds the "
              + available
              + " bytes that follow the length prefix (truncated or not a safetensors file)");
    }
    if (length < 2) {
      throw SafetensorsException.file(
          source, "header length " + shown + " is too small to hold a JSON object");
    }
    return (int) length;
  }

  /**
   * Parses and validates a header.
   *
   * @param source the file or stream label used in error messages
   * @param json the {@code N} header bytes (UTF-8 JSON, possibly padded with spaces)
   * @param bufferLength the size of the data buffer that follows the header: every tensor must lie
   *     inside it, so a header cannot declare more data than the file holds
   */
  public static SafetensorsHeader parse(String source, byte[] json, long bufferLength)
      throws SafetensorsException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(json))
              .toString();
    } catch (CharacterCodingException e) {
      throw SafetensorsException.file(source, "header is not valid UTF-8", e);
    }
    Map<String, TensorInfo> byName = new TreeMap<>();
    Map<String, String> metadata = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw SafetensorsException.file(source, "header is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (!seen.add(name)) {
          throw SafetensorsException.tensor(source, name, "duplicate name in the header");
        }
        parser.nextToken();
        if (METADATA_KEY.equals(name)) {
          parseMetadata(source, parser, metadata);
        } else {
          byName.put(name, parseEntry(source, name, parser));
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw SafetensorsException.file(source, "header has content after its JSON object");
      }
    } catch (JsonProcessingException e) {
      throw SafetensorsException.file(
          source, "malformed JSON header: " + e.getOriginalMessage(), e);
    } catch (SafetensorsException e) {
      throw e;
    } catch (IOException e) {
      throw SafetensorsException.file(source, "unreadable JSON header: " + e.getMessage(), e);
    }
    List<TensorInfo> byOffset = checkCoverage(source, byName, bufferLength);
    return new SafetensorsHeader(
        json.length,
        Collections.unmodifiableMap(new LinkedHashMap<>(byName)),
        Collections.unmodifiableList(byOffset),
        Collections.unmodifiableMap(new LinkedHashMap<>(metadata)));
  }

  private static void parseMetadata(String source, JsonParser parser, Map<String, String> into)
      throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw SafetensorsException.file(source, METADATA_KEY + " must be a JSON object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      if (parser.nextToken() != JsonToken.VALUE_STRING) {
        throw SafetensorsException.file(
            source, METADATA_KEY + " value of '" + key + "' must be a string");
      }
      if (into.put(key, parser.getText()) != null) {
        throw SafetensorsException.file(source, METADATA_KEY + " repeats key '" + key + "'");
      }
    }
  }

  private static TensorInfo parseEntry(String source, String name, JsonParser parser)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw SafetensorsException.tensor(source, name, "header entry must be a JSON object");
    }
    String dtypeName = null;
    long[] shape = null;
    long[] offsets = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      boolean duplicate =
          switch (key) {
            case "dtype" -> {
              if (value != JsonToken.VALUE_STRING) {
                throw SafetensorsException.tensor(source, name, "dtype must be a string");
              }
              boolean repeated = dtypeName != null;
              dtypeName = parser.getText();
              yield repeated;
            }
            case "shape" -> {
              boolean repeated = shape != null;
              shape = readNaturals(source, name, "shape", parser);
              yield repeated;
            }
            case "data_offsets" -> {
              boolean repeated = offsets != null;
              offsets = readNaturals(source, name, "data_offsets", parser);
              yield repeated;
            }
            default -> {
              // Unknown keys are ignored, as by the reference implementation.
              parser.skipChildren();
              yield false;
            }
          };
      if (duplicate) {
        throw SafetensorsException.tensor(source, name, "repeats the key '" + key + "'");
      }
    }
    if (dtypeName == null || shape == null || offsets == null) {
      throw SafetensorsException.tensor(
          source, name, "header entry needs dtype, shape and data_offsets");
    }
    String typeName = dtypeName;
    DType dtype =
        DType.parse(typeName)
            .orElseThrow(
                () -> SafetensorsException.tensor(source, name, "unknown dtype " + typeName));
    if (offsets.length != 2) {
      throw SafetensorsException.tensor(
          source, name, "data_offsets must be [begin, end], got " + Arrays.toString(offsets));
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw SafetensorsException.tensor(
          source, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    long bytes;
    try {
      long elements = 1;
      for (long dim : shape) {
        elements = Math.multiplyExact(elements, dim);
      }
      bytes = Math.multiplyExact(elements, (long) dtype.size());
    } catch (ArithmeticException e) {
      throw SafetensorsException.tensor(
          source, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit byte count");
    }
    if (bytes != end - begin) {
      throw SafetensorsException.tensor(
          source,
          name,
          dtype
              + " "
              + Arrays.toString(shape)
              + " needs "
              + bytes
              + " bytes but data_offsets ["
              + begin
              + ", "
              + end
              + "] span "
              + (end - begin));
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static long[] readNaturals(String source, String name, String key, JsonParser parser)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw SafetensorsException.tensor(source, name, key + " must be an array of integers");
    }
    List<Long> values = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0) {
        throw SafetensorsException.tensor(
            source, name, key + " must hold integers in [0, 2^63), got " + parser.getText());
      }
      values.add(parser.getLongValue());
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static List<TensorInfo> checkCoverage(
      String source, Map<String, TensorInfo> byName, long bufferLength)
      throws SafetensorsException {
    List<TensorInfo> byOffset = new ArrayList<>(byName.values());
    byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long expected = 0;
    TensorInfo previous = null;
    for (TensorInfo info : byOffset) {
      String range = "data_offsets [" + info.begin() + ", " + info.end() + "]";
      if (info.end() > bufferLength) {
        throw SafetensorsException.tensor(
            source,
            info.name(),
            range + " point past the end of the " + bufferLength + "-byte data buffer");
      }
      if (info.begin() < expected) {
        throw SafetensorsException.tensor(
            source,
            info.name(),
            range + " overlap tensor '" + previous.name() + "' which ends at byte " + expected);
      }
      if (info.begin() > expected) {
        throw SafetensorsException.tensor(
            source,
            info.name(),
            range
                + " leave "
                + (info.begin() - expected)
                + " unused bytes before them"
                + (previous == null ? "" : " (after tensor '" + previous.name() + "')")
                + "; tensors must cover the data buffer contiguously");
      }
      expected = info.end();
      previous = info;
    }
    if (expected != bufferLength) {
      throw SafetensorsException.file(
          source,
          "data buffer holds "
              + (bufferLength - expected)
              + " bytes after the last tensor (tensors must cover it exactly)");
    }
    return byOffset;
  }

  /** The JSON header size {@code N} in bytes. */
  public long headerLength() {
    return headerLength;
  }

  /** The file offset of the data buffer: {@code 8 + N}. */
  public long dataOffset() {
    return 8 + headerLength;
  }

  /** The end of the last tensor: the exact size the data buffer must have. */
  public long bufferEnd() {
    return byOffset.isEmpty() ? 0 : byOffset.get(byOffset.size() - 1).end();
  }

  /** The tensor entries in name order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The tensor entries in data-buffer order. */
  public List<TensorInfo> tensorsByOffset() {
    return byOffset;
  }

  /** The {@code __metadata__} map, in key order (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }
}
