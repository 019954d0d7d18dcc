package dev.ward.policy.masking;

/**
 * A masked text or document and its manifest. When nothing was masked, {@link #text()} is the very
 * input instance.
 */
public record MaskResult(CharSequence text, MaskingManifest manifest) {

  /** Whether anything was masked. */
  public boolean changed() {
    return !manifest.isEmpty();
  }
}
