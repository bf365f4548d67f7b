package dev.flotilla.core.safetensors;

/**
 * Exact conversions between float32 and the 16-bit formats F16 (IEEE 754 binary16) and BF16,
 * including subnormals, signed zeros, infinities and NaN; narrowing rounds to nearest, ties to
 * even. (Java 17 has no {@code Float.float16ToFloat}.)
 */
public final class HalfFloats {
  private static final float[] F16_TO_FLOAT = new float[1 << 16];

  static {
    for (int h = 0; h < F16_TO_FLOAT.length; h++) {
      F16_TO_FLOAT[h] = decodeF16(h);
    }
  }

  private HalfFloats() {}

  /** The float32 value of the F16 bit pattern {@code bits} (exact). */
  public static float f16ToFloat(short bits) {
    return F16_TO_FLOAT[bits & 0xFFFF];
  }

  /** The float32 value of the BF16 bit pattern {@code bits} (exact). */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /**
   * The F16 bit pattern nearest to {@code value} (ties to even); magnitudes from 65520 up become
   * infinity, NaN stays a (quiet) NaN.
   */
  public static short floatToF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xFF;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign;
      }
      // Subnormal result: value = significand * 2^(halfExponent - 14) units of 2^-24.
      int significand = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      return (short) (sign | roundShift(significand, shift));
    }
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    return (short) (sign | ((halfExponent << 10) + roundShift(mantissa, 13)));
  }

  /**
   * The BF16 bit pattern nearest to {@code value} (ties to even); NaN stays a (quiet) NaN and
   * values past the BF16 range become infinity.
   */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7FFFFFFF) > 0x7F800000) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) roundShift(bits, 16);
  }

  /**
   * {@code value >>> shift} rounded to nearest, ties to even ({@code 1 <= shift <= 30}), without
   * branches (random mantissas would defeat branch prediction): adding {@code half - 1} plus the
   * kept lowest bit carries exactly when the dropped part exceeds half, or equals it and the kept
   * part is odd. Wrap-around cannot occur for the non-NaN inputs used here.
   */
  private static int roundShift(int value, int shift) {
    return (value + (1 << (shift - 1)) - 1 + ((value >>> shift) & 1)) >>> shift;
  }

  private static float decodeF16(int h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24, exact in float32 (a normal number there).
      float magnitude = mantissa * 0x1p-24f;
      return sign != 0 ? -magnitude : magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
