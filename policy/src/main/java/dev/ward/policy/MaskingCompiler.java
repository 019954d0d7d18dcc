package dev.ward.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ward.policy.document.PolicyDocument;
import dev.ward.policy.document.PolicyDocument.CustomEntry;
import dev.ward.policy.document.PolicyDocument.FieldEntry;
import dev.ward.policy.document.PolicyDocument.JsonPathEntry;
import dev.ward.policy.document.PolicyDocument.PiiEntry;
import dev.ward.policy.masking.Detector;
import dev.ward.policy.masking.MaskingRules;
import dev.ward.policy.masking.MaskingStrategy;
import dev.ward.policy.masking.RegexDetector;
import dev.ward.policy.masking.TextScanner;
import dev.ward.policy.masking.fields.ColumnRule;
import dev.ward.policy.masking.fields.JsonPath;
import dev.ward.policy.masking.fields.JsonPathRule;
import dev.ward.policy.masking.pii.CardNumberDetector;
import dev.ward.policy.masking.pii.EmailDetector;
import dev.ward.policy.masking.pii.IbanDetector;
import dev.ward.policy.masking.pii.Ipv4Detector;
import dev.ward.policy.masking.pii.Ipv6Detector;
import dev.ward.policy.masking.pii.PhoneDetector;
import dev.ward.policy.masking.pii.SsnDetector;
import dev.ward.policy.masking.secrets.GenericSecretDetector;
import dev.ward.policy.masking.secrets.SecretCatalog;
import dev.ward.policy.match.Glob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Compiles the {@code masking} section into {@link MaskingRules}. */
final class MaskingCompiler {
  private static final MaskingStrategy REDACT = new MaskingStrategy.Redact();
  private static final int MAX_CUSTOM_REGEX_LENGTH = 4096;

  private final Problems problems;
  private final List<Detector> detectors = new ArrayList<>();
  private final List<MaskingStrategy> strategies = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final ActionCompiler idChecker;

  MaskingCompiler(Problems problems) {
    this.problems = problems;
    this.idChecker = new ActionCompiler(java.util.Map.of(), problems);
  }

  MaskingRules compile(PolicyDocument.Masking masking) {
    PolicyDocument.Masking m =
        masking != null ? masking : new PolicyDocument.Masking(null, null, null, null, null);
    GenericSecretDetector generic = secrets(m.secrets());
    pii(m.pii());
    custom(m.custom());
    List<ColumnRule> columns = fields(m.fields());
    List<JsonPathRule> paths = jsonPaths(m.jsonPaths());
    MaskingStrategy genericStrategy = null;
    if (generic != null) {
      genericStrategy = strategies.get(detectors.indexOf(generic));
    }
    return new MaskingRules(
        new TextScanner(detectors), strategies, columns, paths, generic, genericStrategy);
  }

  /** Adds the enabled secret families; returns the generic detector when enabled. */
  private GenericSecretDetector secrets(PolicyDocument.Secrets secrets) {
    String base = "/masking/secrets";
    if (secrets != null && Boolean.FALSE.equals(secrets.enabled())) {
      return null;
    }
    MaskingStrategy strategy =
        strategy(secrets == null ? null : secrets.strategy(), Problems.pointer(base, "strategy"));
    double minEntropy = GenericSecretDetector.DEFAULT_MIN_ENTROPY;
    boolean genericOn = true;
    if (secrets != null && secrets.generic() != null) {
      genericOn = !Boolean.FALSE.equals(secrets.generic().enabled());
      Double e = secrets.generic().minEntropy();
      if (e != null) {
        if (e < 1.0 || e > 6.0) {
          problems.add(
              Problems.pointer(base, "generic", "minEntropy"),
              "minEntropy is in bits per character and must be between 1.0 and 6.0, not " + e);
        } else {
          minEntropy = e;
        }
      }
    }
    List<String> families =
        secrets == null || secrets.families() == null ? List.of("*") : secrets.families();
    List<String> exclude =
        secrets == null || secrets.exclude() == null ? List.of() : secrets.exclude();
    List<Glob> include = familyGlobs(families, Problems.pointer(base, "families"));
    List<Glob> without = familyGlobs(exclude, Problems.pointer(base, "exclude"));
    GenericSecretDetector generic = null;
    for (Detector d : SecretCatalog.detectors(minEntropy)) {
      boolean on =
          include.stream().anyMatch(g -> g.matches(d.ruleId()))
              && without.stream().noneMatch(g -> g.matches(d.ruleId()));
      if (d instanceof GenericSecretDetector g) {
        on &= genericOn;
        if (on) {
          generic = g;
        }
      }
      if (on) {
        add(d, strategy);
      }
    }
    return generic;
  }

  private List<Glob> familyGlobs(List<String> globs, String pointer) {
    List<String> known = SecretCatalog.familyIds();
    List<Glob> out = new ArrayList<>();
    for (int i = 0; i < globs.size(); i++) {
      String text = globs.get(i);
      if (text == null || text.isEmpty()) {
        problems.add(Problems.pointer(pointer, i), "a family name can not be empty");
        continue;
      }
      Glob g = Glob.compile(text, (char) 0, true);
      if (known.stream().noneMatch(g::matches)) {
        problems.add(
            Problems.pointer(pointer, i),
            "'" + text + "' matches no secret family; known families: " + String.join(", ", known));
      }
      out.add(g);
    }
    return out;
  }

  private void pii(PolicyDocument.Pii pii) {
    if (pii == null) {
      return;
    }
    String base = "/masking/pii";
    pii(pii.email(), base, "email", EmailDetector::new);
    pii(pii.phone(), base, "phone", PhoneDetector::new);
    pii(pii.creditCard(), base, "creditCard", CardNumberDetector::new);
    pii(pii.iban(), base, "iban", IbanDetector::new);
    pii(pii.ssn(), base, "ssn", SsnDetector::new);
    pii(pii.ipv4(), base, "ipv4", Ipv4Detector::new);
    pii(pii.ipv6(), base, "ipv6", Ipv6Detector::new);
  }

  private void pii(PiiEntry entry, String base, String name, Supplier<Detector> detector) {
    if (entry == null || Boolean.FALSE.equals(entry.enabled())) {
      return;
    }
    add(detector.get(), strategy(entry.strategy(), Problems.pointer(base, name, "strategy")));
  }

  private void custom(List<CustomEntry> custom) {
    if (custom == null) {
      return;
    }
    for (int i = 0; i < custom.size(); i++) {
      String base = Problems.pointer("/masking/custom", i);
      CustomEntry c = custom.get(i);
      if (c == null || !idChecker.checkId(c.id(), Problems.pointer(base, "id"), ids)) {
        continue;
      }
      MaskingStrategy strategy = strategy(c.strategy(), Problems.pointer(base, "strategy"));
      Detector detector = customDetector(c, base);
      if (detector != null) {
        add(detector, strategy);
      }
    }
  }

  private Detector customDetector(CustomEntry c, String base) {
    String pointer = Problems.pointer(base, "regex");
    if (c.regex() == null || c.regex().isEmpty()) {
      problems.add(pointer, "custom rule '" + c.id() + "' needs a regex");
      return null;
    }
    if (c.regex().length() > MAX_CUSTOM_REGEX_LENGTH) {
      problems.add(
          pointer,
          "custom rule '"
              + c.id()
              + "': regex longer than "
              + MAX_CUSTOM_REGEX_LENGTH
              + " characters");
      return null;
    }
    String regex = Boolean.TRUE.equals(c.caseInsensitive()) ? "(?i)" + c.regex() : c.regex();
    Pattern compiled;
    try {
      compiled = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      problems.add(
          pointer,
          "custom rule '"
              + c.id()
              + "': the regex does not compile ("
              + e.getDescription()
              + "); write it in RE2 syntax, which has no backreferences or lookaround");
      return null;
    }
    int group = c.group() == null ? 0 : c.group();
    if (group < 0 || group > compiled.groupCount()) {
      problems.add(
          Problems.pointer(base, "group"),
          "custom rule '"
              + c.id()
              + "': group "
              + group
              + " does not exist; the regex has "
              + compiled.groupCount()
              + " group(s)");
      return null;
    }
    if (compiled.matcher("").matches()) {
      problems.add(pointer, "custom rule '" + c.id() + "': the regex matches the empty string");
      return null;
    }
    List<String> keywords = c.keywords() == null ? List.of() : c.keywords();
    for (int k = 0; k < keywords.size(); k++) {
      String kw = keywords.get(k);
      if (kw == null || kw.isEmpty() || !kw.chars().allMatch(ch -> ch < 128)) {
        problems.add(
            Problems.pointer(base, "keywords", k),
            "custom rule '" + c.id() + "': keywords must be non-empty ASCII text");
        return null;
      }
    }
    return RegexDetector.rule(c.id(), regex)
        .keywords(keywords.toArray(String[]::new))
        .group(group)
        .build();
  }

  private List<ColumnRule> fields(List<FieldEntry> fields) {
    List<ColumnRule> rules = new ArrayList<>();
    if (fields == null) {
      return rules;
    }
    for (int i = 0; i < fields.size(); i++) {
      String base = Problems.pointer("/masking/fields", i);
      FieldEntry f = fields.get(i);
      if (f == null) {
        continue;
      }
      if (f.match() == null
          && f.regex() == null
          && (f.typeOids() == null || f.typeOids().isEmpty())) {
        problems.add(base, "a field rule needs match, regex or typeOids");
        continue;
      }
      String id =
          f.id() != null
              ? f.id()
              : "field:" + (f.match() != null ? f.match() : f.regex() != null ? f.regex() : "type");
      if (f.id() != null && !idChecker.checkId(f.id(), Problems.pointer(base, "id"), ids)) {
        continue;
      }
      MaskingStrategy strategy = strategy(f.strategy(), Problems.pointer(base, "strategy"));
      Pattern regex = null;
      if (f.regex() != null) {
        try {
          regex = Pattern.compile(f.regex(), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
          problems.add(
              Problems.pointer(base, "regex"),
              "field rule '" + id + "': the regex does not compile (" + e.getDescription() + ")");
          continue;
        }
      }
      try {
        Set<Integer> oids = f.typeOids() == null ? Set.of() : Set.copyOf(f.typeOids());
        rules.add(new ColumnRule(id, f.match(), regex, oids, strategy));
      } catch (IllegalArgumentException | NullPointerException e) {
        problems.add(Problems.pointer(base, "match"), "field rule '" + id + "': " + e.getMessage());
      }
    }
    return rules;
  }

  private List<JsonPathRule> jsonPaths(List<JsonPathEntry> entries) {
    List<JsonPathRule> rules = new ArrayList<>();
    if (entries == null) {
      return rules;
    }
    for (int i = 0; i < entries.size(); i++) {
      String base = Problems.pointer("/masking/jsonPaths", i);
      JsonPathEntry e = entries.get(i);
      if (e == null) {
        continue;
      }
      if (e.id() != null && !idChecker.checkId(e.id(), Problems.pointer(base, "id"), ids)) {
        continue;
      }
      try {
        JsonPath path = JsonPath.parse(e.path());
        String id = e.id() != null ? e.id() : "json-path:" + e.path();
        rules.add(
            new JsonPathRule(id, path, strategy(e.strategy(), Problems.pointer(base, "strategy"))));
      } catch (IllegalArgumentException ex) {
        problems.add(Problems.pointer(base, "path"), ex.getMessage());
      }
    }
    return rules;
  }

  private void add(Detector detector, MaskingStrategy strategy) {
    detectors.add(detector);
    strategies.add(strategy);
  }

  private MaskingStrategy strategy(String text, String pointer) {
    if (text == null) {
      return REDACT;
    }
    try {
      return MaskingStrategy.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(pointer, e.getMessage());
      return REDACT;
    }
  }
}
