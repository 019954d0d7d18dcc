package dev.ward.policy.masking.secrets;

import static dev.ward.policy.masking.secrets.SourceControlSecrets.prefixed;

import dev.ward.policy.masking.Detector;
import java.util.List;

/** Model providers: OpenAI, Anthropic, Hugging Face. */
final class AiSecrets {
  private AiSecrets() {}

  static List<Detector> all() {
    return List.of(
        prefixed(
            "openai-api-key",
            "sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\\-]{20,250}"
                + "|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})",
            "sk-"),
        prefixed(
            "anthropic-api-key",
            "sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_\\-]{80,120}",
            "sk-ant-"),
        prefixed("huggingface-token", "(?:hf_|api_org_)[A-Za-z]{34}", "hf_", "api_org_"));
  }
}
