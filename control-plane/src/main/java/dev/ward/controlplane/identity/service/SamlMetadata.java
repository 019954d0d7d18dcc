package dev.ward.controlplane.identity.service;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Ward needs of a SAML identity provider's metadata (an {@code EntityDescriptor}, or the first
 * one with an {@code IDPSSODescriptor} inside an {@code EntitiesDescriptor}): its entity id, where
 * to send authentication requests and with which binding, where to log out, and the certificates
 * its signatures are checked with. Parsed without DTDs or external entities: the XML comes from a
 * tenant admin and is untrusted.
 */
public record SamlMetadata(
    String entityId,
    String singleSignOnUrl,
    boolean postBinding,
    String singleLogoutUrl,
    List<String> signingCertificates,
    String nameIdFormat,
    boolean wantAuthnRequestsSigned) {

  static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";
  static final String DS = "http://www.w3.org/2000/09/xmldsig#";
  static final String POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
  static final String REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

  /** Metadata that is not usable; the message says what is wrong, for the admin who sent it. */
  public static final class InvalidMetadataException extends Exception {
    InvalidMetadataException(String message) {
      super(message);
    }
  }

  /** Parses {@code xml}, or says in one sentence why it is not usable IdP metadata. */
  public static SamlMetadata parse(String xml) throws InvalidMetadataException {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new InvalidMetadataException("the metadata is not well-formed XML (DTDs are refused)");
    }
    Element root = doc.getDocumentElement();
    if (!MD.equals(root.getNamespaceURI())
        || !List.of("EntityDescriptor", "EntitiesDescriptor").contains(root.getLocalName())) {
      throw new InvalidMetadataException(
          "the metadata must be a SAML 2.0 EntityDescriptor (or EntitiesDescriptor)");
    }
    for (Element entity : descendants(root, "EntityDescriptor", true)) {
      List<Element> idp = children(entity, MD, "IDPSSODescriptor");
      if (!idp.isEmpty()) {
        return of(entity, idp.get(0));
      }
    }
    throw new InvalidMetadataException(
        "the metadata describes no identity provider (no IDPSSODescriptor)");
  }

  private static SamlMetadata of(Element entity, Element idp) throws InvalidMetadataException {
    String entityId = entity.getAttribute("entityID").strip();
    if (entityId.isEmpty()) {
      throw new InvalidMetadataException("the EntityDescriptor has no entityID");
    }
    String sso = null;
    boolean post = false;
    for (Element s : children(idp, MD, "SingleSignOnService")) {
      String binding = s.getAttribute("Binding");
      if (POST.equals(binding)) {
        sso = s.getAttribute("Location").strip();
        post = true;
        break;
      }
      if (REDIRECT.equals(binding) && sso == null) {
        sso = s.getAttribute("Location").strip();
      }
    }
    if (sso == null || sso.isEmpty()) {
      throw new InvalidMetadataException(
          "the identity provider has no SingleSignOnService with the HTTP-POST or HTTP-Redirect"
              + " binding");
    }
    if (!sso.startsWith("https://") && !sso.startsWith("http://")) {
      throw new InvalidMetadataException("the SingleSignOnService Location is not an http(s) URL");
    }
    String slo = null;
    for (Element s : children(idp, MD, "SingleLogoutService")) {
      if (POST.equals(s.getAttribute("Binding")) || slo == null) {
        slo = s.getAttribute("Location").strip();
      }
    }
    List<String> certificates = new ArrayList<>();
    for (Element key : children(idp, MD, "KeyDescriptor")) {
      String use = key.getAttribute("use");
      if (use.isEmpty() || use.equals("signing")) {
        for (Element cert : descendants(key, "X509Certificate", false)) {
          String base64 = cert.getTextContent().replaceAll("\\s+", "");
          if (!base64.isEmpty() && !certificates.contains(base64)) {
            certificates.add(base64);
          }
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new InvalidMetadataException(
          "the identity provider publishes no signing certificate (KeyDescriptor use=\"signing\")");
    }
    String nameId = null;
    List<Element> formats = children(idp, MD, "NameIDFormat");
    if (!formats.isEmpty()) {
      nameId = formats.get(0).getTextContent().strip();
    }
    return new SamlMetadata(
        entityId,
        sso,
        post,
        slo == null || slo.isEmpty() ? null : slo,
        List.copyOf(certificates),
        nameId,
        "true".equals(idp.getAttribute("WantAuthnRequestsSigned")));
  }

  private static List<Element> children(Element parent, String ns, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && ns.equals(e.getNamespaceURI())
          && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Elements named so below {@code root} (and root itself when {@code self}), in document order.
   */
  private static List<Element> descendants(Element root, String name, boolean self) {
    List<Element> out = new ArrayList<>();
    if (self && MD.equals(root.getNamespaceURI()) && name.equals(root.getLocalName())) {
      out.add(root);
    }
    String ns = name.equals("X509Certificate") ? DS : MD;
    NodeList list = root.getElementsByTagNameNS(ns, name);
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }
}
