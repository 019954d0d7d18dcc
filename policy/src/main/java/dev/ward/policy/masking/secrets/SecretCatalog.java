package dev.ward.policy.masking.secrets;

import dev.ward.policy.masking.Detector;
import java.util.ArrayList;
import java.util.List;

/** Every built-in secret family, in the order overlaps are settled. */
public final class SecretCatalog {
  private SecretCatalog() {}

  /**
   * All built-in secret detectors.
   *
   * @param genericMinEntropy entropy threshold of the generic assignment detector
   */
  public static List<Detector> detectors(double genericMinEntropy) {
    List<Detector> all = new ArrayList<>();
    all.addAll(KeyMaterialSecrets.all());
    all.addAll(CloudSecrets.all());
    all.addAll(SourceControlSecrets.all());
    all.addAll(MessagingSecrets.all());
    all.addAll(PaymentSecrets.all());
    all.addAll(AiSecrets.all());
    all.addAll(DevOpsSecrets.all());
    all.addAll(ConnectionStringSecrets.all());
    all.add(new GenericSecretDetector(genericMinEntropy));
    return List.copyOf(all);
  }

  /** Rule ids of every built-in secret family. */
  public static List<String> familyIds() {
    return detectors(GenericSecretDetector.DEFAULT_MIN_ENTROPY).stream()
        .map(Detector::ruleId)
        .toList();
  }
}
