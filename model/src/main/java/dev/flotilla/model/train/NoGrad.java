package dev.flotilla.model.train;

import ai.djl.pytorch.jni.JniUtils;

/** Disables autograd recording for a block (like {@code torch.no_grad()}), restoring it after. */
final class NoGrad implements AutoCloseable {
  private final boolean previous;

  NoGrad() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
