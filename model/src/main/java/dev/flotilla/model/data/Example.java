package dev.flotilla.model.data;

/**
 * One training example: {@code text} + {@code label} for classification, or {@code text} as the
 * prompt + {@code response} for causal LM (label -1).
 *
 * @param text the input text or the prompt
 * @param response the response to learn (causal LM only, else null)
 * @param label the class id (classification only, else -1)
 */
public record Example(String text, String response, int label) {

  /** A classification example. */
  public static Example classification(String text, int label) {
    return new Example(text, null, label);
  }

  /** A prompt/response example. */
  public static Example promptResponse(String prompt, String response) {
    return new Example(prompt, response, -1);
  }
}
