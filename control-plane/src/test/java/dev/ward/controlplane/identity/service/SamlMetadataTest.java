package dev.ward.controlplane.identity.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamlMetadataTest {

  static String idp(String sso) {
    return "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
        + " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
        + "<md:EntityDescriptor entityID=\"https://sp.example\"><md:SPSSODescriptor"
        + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>"
        + "<md:EntityDescriptor entityID=\" https://idp.example/saml \">"
        + "<md:IDPSSODescriptor WantAuthnRequestsSigned=\"true\""
        + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
        + "<md:KeyDescriptor use=\"encryption\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>"
        + "ENCRYPTION</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        + "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>"
        + "MIIC\n  AbCd==\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        + "<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\""
        + " Location=\"https://idp.example/slo\"/>"
        + "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>"
        + sso
        + "</md:IDPSSODescriptor></md:EntityDescriptor></md:EntitiesDescriptor>";
  }

  static final String REDIRECT =
      "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\""
          + " Location=\"https://idp.example/sso/redirect\"/>";
  static final String POST =
      "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\""
          + " Location=\"https://idp.example/sso/post\"/>";

  @Test
  void theIdentityProviderOfAnEntitiesDescriptorIsReadWithItsSigningCertificateOnly()
      throws Exception {
    SamlMetadata m = SamlMetadata.parse(idp(REDIRECT + POST));
    assertThat(m.entityId()).isEqualTo("https://idp.example/saml");
    assertThat(m.singleSignOnUrl()).isEqualTo("https://idp.example/sso/post");
    assertThat(m.postBinding()).isTrue();
    assertThat(m.singleLogoutUrl()).isEqualTo("https://idp.example/slo");
    assertThat(m.signingCertificates()).containsExactly("MIICAbCd==");
    assertThat(m.nameIdFormat()).endsWith("emailAddress");
    assertThat(m.wantAuthnRequestsSigned()).isTrue();
  }

  @Test
  void aRedirectOnlyProviderIsUsedWithTheRedirectBinding() throws Exception {
    SamlMetadata m = SamlMetadata.parse(idp(REDIRECT));
    assertThat(m.singleSignOnUrl()).isEqualTo("https://idp.example/sso/redirect");
    assertThat(m.postBinding()).isFalse();
  }

  @Test
  void unusableMetadataIsRefusedWithTheReason() {
    assertThatThrownBy(() -> SamlMetadata.parse(idp("")))
        .hasMessageContaining("SingleSignOnService");
    assertThatThrownBy(() -> SamlMetadata.parse("<x/>")).hasMessageContaining("EntityDescriptor");
    assertThatThrownBy(
            () ->
                SamlMetadata.parse(
                    "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"))
        .hasMessageContaining("DTD");
    assertThatThrownBy(
            () -> SamlMetadata.parse(idp(POST).replace("use=\"signing\"", "use=\"encryption\"")))
        .hasMessageContaining("signing certificate");
    assertThatThrownBy(
            () ->
                SamlMetadata.parse(
                    idp(POST).replace("https://idp.example/sso/post", "javascript:x")))
        .hasMessageContaining("http(s)");
  }
}
