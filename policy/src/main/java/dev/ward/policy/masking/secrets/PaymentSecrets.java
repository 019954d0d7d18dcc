package dev.ward.policy.masking.secrets;

import static dev.ward.policy.masking.secrets.SourceControlSecrets.prefixed;

import dev.ward.policy.masking.Detector;
import java.util.List;

/** Payment and commerce providers: Stripe, Square, PayPal/Braintree, Shopify. */
final class PaymentSecrets {
  private PaymentSecrets() {}

  static List<Detector> all() {
    return List.of(
        prefixed(
            "stripe-secret-key",
            "(?:sk|rk)_(?:test|live|prod)_[0-9a-zA-Z]{10,247}",
            "sk_live",
            "sk_test",
            "sk_prod",
            "rk_live",
            "rk_test",
            "rk_prod"),
        prefixed("stripe-webhook-secret", "whsec_[0-9a-zA-Z]{32,64}", "whsec_"),
        prefixed(
            "square-token",
            "(?:EAAA|sq0atp-|sq0csp-)[0-9A-Za-z_\\-]{22,60}",
            "eaaa",
            "sq0atp-",
            "sq0csp-"),
        prefixed(
            "paypal-braintree-access-token",
            "access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}",
            "access_token$"),
        prefixed(
            "shopify-token",
            "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
            "shpat_",
            "shpca_",
            "shppa_",
            "shpss_"));
  }
}
