package dev.flotilla.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  /** Independent F16 decoding by the IEEE 754 formula, in double precision. */
  private static double f16Formula(int h) {
    int sign = (h >>> 15) & 1;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    double magnitude =
        exponent == 0
            ? mantissa * Math.pow(2, -24)
            : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
    return sign == 1 ? -magnitude : magnitude;
  }

  @Test
  void f16DecodesEveryPatternExactly() {
    for (int h = 0; h < 1 << 16; h++) {
      float value = HalfFloats.f16ToFloat((short) h);
      int exponent = (h >>> 10) & 0x1F;
      int mantissa = h & 0x3FF;
      if (exponent == 0x1F && mantissa != 0) {
        assertThat(Float.isNaN(value)).as("NaN pattern %04x", h).isTrue();
      } else if (exponent == 0x1F) {
        assertThat(value)
            .isEqualTo((h & 0x8000) != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
      } else {
        assertThat((double) value).as("pattern %04x", h).isEqualTo(f16Formula(h));
        assertThat(Float.floatToRawIntBits(value) >>> 31).isEqualTo(h >>> 15);
      }
    }
  }

  @Test
  void f16KnownValuesIncludingSubnormalsAndSignedZero() {
    assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(HalfFloats.f16ToFloat((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f);
    assertThat(HalfFloats.f16ToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
    assertThat(HalfFloats.f16ToFloat((short) 0x3C00)).isEqualTo(1.0f);
    assertThat(HalfFloats.f16ToFloat((short) 0x7BFF)).isEqualTo(65504f);
    assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)))
        .isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(HalfFloats.floatToF16(-0.0f)).isEqualTo((short) 0x8000);
    assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7BFF);
    assertThat(HalfFloats.floatToF16(65519.996f)).isEqualTo((short) 0x7BFF);
    assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7C00);
    assertThat(HalfFloats.floatToF16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFC00);
    assertThat(HalfFloats.floatToF16(0x1p-25f)).isEqualTo((short) 0); // tie to even: zero
    assertThat(HalfFloats.floatToF16(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
    assertThat(HalfFloats.floatToF16(Float.MIN_VALUE)).isEqualTo((short) 0);
    assertThat(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN)))).isTrue();
  }

  @Test
  void f16RoundTripsAndRoundsMidpointsToEven() {
    for (int sign : new int[] {0, 0x8000}) {
      for (int h = 0; h < 0x7C00; h++) {
        short bits = (short) (h | sign);
        float value = HalfFloats.f16ToFloat(bits);
        assertThat(HalfFloats.floatToF16(value)).as("round trip %04x", h).isEqualTo(bits);
        if (h == 0x7BFF) {
          continue; // the step to infinity is checked with the known values
        }
        short up = (short) ((h + 1) | sign);
        float mid = (value + HalfFloats.f16ToFloat(up)) / 2; // exact: 12 significant bits
        short even = (h & 1) == 0 ? bits : up;
        assertThat(HalfFloats.floatToF16(mid)).as("midpoint above %04x", h).isEqualTo(even);
        float towardZero = sign == 0 ? Math.nextDown(mid) : Math.nextUp(mid);
        float awayFromZero = sign == 0 ? Math.nextUp(mid) : Math.nextDown(mid);
        assertThat(HalfFloats.floatToF16(towardZero)).isEqualTo(bits);
        assertThat(HalfFloats.floatToF16(awayFromZero)).isEqualTo(up);
      }
    }
  }

  @Test
  void bf16DecodesAsUpperHalfAndRoundsToNearestEven() {
    for (int h = 0; h < 1 << 16; h++) {
      float value = HalfFloats.bf16ToFloat((short) h);
      assertThat(Float.floatToRawIntBits(value)).isEqualTo(h << 16);
      if (!Float.isNaN(value)) {
        assertThat(HalfFloats.floatToBf16(value)).isEqualTo((short) h);
      }
    }
    assertThat(HalfFloats.bf16ToFloat((short) 0x0001)).isEqualTo(0x1p-133f); // subnormal
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
    assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7F80); // overflows
    assertThat(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN)))).isTrue();
    assertThat(
            Float.isNaN(
                HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F800001)))))
        .as("a NaN whose payload sits in the low bits stays NaN")
        .isTrue();
  }

  @Test
  void writerOverflowThresholdsAgreeWithTheConversions() {
    for (int[] range : new int[][] {{0x477FE000, 0x47800100}, {0x7F7F0000, 0x7F800001}}) {
      for (int bits = range[0]; bits <= range[1]; bits++) {
        for (int sign : new int[] {0, 0x80000000}) {
          float value = Float.intBitsToFloat(bits | sign);
          assertThat(TensorCodec.representable(value, DType.F16))
              .as("F16 %08x", bits | sign)
              .isEqualTo(Float.isFinite(HalfFloats.f16ToFloat(HalfFloats.floatToF16(value))));
          assertThat(TensorCodec.representable(value, DType.BF16))
              .as("BF16 %08x", bits | sign)
              .isEqualTo(Float.isFinite(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(value))));
        }
      }
    }
  }
}
