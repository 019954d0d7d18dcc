package dev.ward.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ward.policy.document.PolicyDocument;
import dev.ward.policy.document.PolicyDocument.ArgumentEntry;
import dev.ward.policy.document.PolicyDocument.GitEntry;
import dev.ward.policy.document.PolicyDocument.HttpEntry;
import dev.ward.policy.document.PolicyDocument.McpEntry;
import dev.ward.policy.document.PolicyDocument.SqlEntry;
import dev.ward.policy.guardrails.RuleAction;
import dev.ward.policy.guardrails.git.GitGuardrails;
import dev.ward.policy.guardrails.git.GitRule;
import dev.ward.policy.guardrails.http.HttpGuardrails;
import dev.ward.policy.guardrails.http.HttpRule;
import dev.ward.policy.guardrails.mcp.ArgumentCondition;
import dev.ward.policy.guardrails.mcp.McpGuardrails;
import dev.ward.policy.guardrails.mcp.McpRule;
import dev.ward.policy.guardrails.sql.SqlGuardrails;
import dev.ward.policy.guardrails.sql.SqlRule;
import dev.ward.policy.guardrails.sql.StatementClass;
import dev.ward.policy.guardrails.sql.TableAccess;
import dev.ward.policy.guardrails.sql.TablePattern;
import dev.ward.policy.masking.fields.JsonPath;
import dev.ward.policy.match.Glob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Compiles the {@code guardrails} section. */
final class GuardrailCompiler {
  private final Problems problems;
  private final ActionCompiler actions;

  GuardrailCompiler(Problems problems, ActionCompiler actions) {
    this.problems = problems;
    this.actions = actions;
  }

  SqlGuardrails sql(List<SqlEntry> entries) {
    List<SqlRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < size(entries); i++) {
      String base = Problems.pointer("/guardrails/sql", i);
      SqlEntry e = entries.get(i);
      RuleAction action = action(e == null ? null : e.id(), e, base, ids);
      if (action == null) {
        continue;
      }
      Set<String> operations = new HashSet<>();
      for (int k = 0; k < size(e.operations()); k++) {
        String op = lower(e.operations().get(k));
        if (!SqlRule.OPERATIONS.contains(op)) {
          problems.add(
              Problems.pointer(base, "operations", k),
              "unknown SQL operation '"
                  + op
                  + "' in rule '"
                  + e.id()
                  + "'; see POLICY.md for the list");
        }
        operations.add(op);
      }
      Set<StatementClass> classes = new HashSet<>();
      for (int k = 0; k < size(e.classes()); k++) {
        try {
          classes.add(StatementClass.fromPolicyName(lower(e.classes().get(k))));
        } catch (IllegalArgumentException ex) {
          problems.add(Problems.pointer(base, "classes", k), ex.getMessage());
        }
      }
      List<TablePattern> tables = new ArrayList<>();
      for (int k = 0; k < size(e.tables()); k++) {
        try {
          tables.add(TablePattern.parse(e.tables().get(k)));
        } catch (IllegalArgumentException | NullPointerException ex) {
          problems.add(
              Problems.pointer(base, "tables", k), "rule '" + e.id() + "': " + ex.getMessage());
        }
      }
      for (int k = 0; k < size(e.schemas()); k++) {
        String schema = e.schemas().get(k);
        if (schema == null || schema.isEmpty() || schema.contains(".")) {
          problems.add(Problems.pointer(base, "schemas", k), "a schema is one name, without dots");
        } else {
          tables.add(TablePattern.schema(schema));
        }
      }
      TableAccess access = TableAccess.ANY;
      if (e.access() != null) {
        try {
          access = TableAccess.fromPolicyName(e.access());
        } catch (IllegalArgumentException ex) {
          problems.add(Problems.pointer(base, "access"), ex.getMessage());
        }
      }
      rules.add(
          new SqlRule(
              action,
              operations,
              classes,
              Boolean.TRUE.equals(e.withoutWhere()),
              tables,
              access,
              Boolean.TRUE.equals(e.stacked())));
    }
    return new SqlGuardrails(rules);
  }

  HttpGuardrails http(List<HttpEntry> entries) {
    List<HttpRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < size(entries); i++) {
      String base = Problems.pointer("/guardrails/http", i);
      HttpEntry e = entries.get(i);
      RuleAction action =
          e == null ? null : actions(e.id(), e.action(), e.reason(), e.approval(), base, ids);
      if (action == null) {
        continue;
      }
      Set<String> methods = new HashSet<>();
      for (String m : e.methods() == null ? List.<String>of() : e.methods()) {
        methods.add(m == null ? "" : m.toUpperCase(Locale.ROOT));
      }
      List<Glob> paths = globs(e.paths(), '/', false, Problems.pointer(base, "paths"), true);
      rules.add(new HttpRule(action, methods, paths));
    }
    return new HttpGuardrails(rules);
  }

  McpGuardrails mcp(List<McpEntry> entries) {
    List<McpRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < size(entries); i++) {
      String base = Problems.pointer("/guardrails/mcp", i);
      McpEntry e = entries.get(i);
      RuleAction action =
          e == null ? null : actions(e.id(), e.action(), e.reason(), e.approval(), base, ids);
      if (action == null) {
        continue;
      }
      List<Glob> tools = globs(e.tools(), (char) 0, false, Problems.pointer(base, "tools"), false);
      List<ArgumentCondition> arguments = new ArrayList<>();
      for (int k = 0; k < size(e.arguments()); k++) {
        ArgumentCondition c =
            argument(e.arguments().get(k), Problems.pointer(base, "arguments", k));
        if (c != null) {
          arguments.add(c);
        }
      }
      rules.add(new McpRule(action, tools, arguments));
    }
    return new McpGuardrails(rules);
  }

  GitGuardrails git(List<GitEntry> entries) {
    List<GitRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < size(entries); i++) {
      String base = Problems.pointer("/guardrails/git", i);
      GitEntry e = entries.get(i);
      RuleAction action =
          e == null ? null : actions(e.id(), e.action(), e.reason(), e.approval(), base, ids);
      if (action == null) {
        continue;
      }
      List<Glob> refs = globs(e.refs(), '/', false, Problems.pointer(base, "refs"), false);
      for (int k = 0; k < refs.size(); k++) {
        if (!refs.get(k).toString().startsWith("refs/")
            && !refs.get(k).toString().startsWith("*")) {
          problems.add(
              Problems.pointer(base, "refs", k),
              "ref pattern '"
                  + refs.get(k)
                  + "' should be a full ref name such as refs/heads/main");
        }
      }
      rules.add(new GitRule(action, refs, e.forcePush(), e.deletion(), e.creation()));
    }
    return new GitGuardrails(rules);
  }

  private ArgumentCondition argument(ArgumentEntry a, String base) {
    if (a == null) {
      return null;
    }
    JsonPath path;
    try {
      path = JsonPath.parse(a.path());
    } catch (IllegalArgumentException e) {
      problems.add(Problems.pointer(base, "path"), e.getMessage());
      return null;
    }
    Pattern regex = null;
    if (a.regex() != null) {
      try {
        regex = Pattern.compile(a.regex());
      } catch (PatternSyntaxException e) {
        problems.add(
            Problems.pointer(base, "regex"),
            "the regex does not compile (" + e.getDescription() + "); write it in RE2 syntax");
        return null;
      }
    }
    Glob glob = a.glob() == null ? null : Glob.compile(a.glob(), (char) 0, false);
    return new ArgumentCondition(path, glob, regex);
  }

  private RuleAction action(String id, SqlEntry e, String base, Set<String> ids) {
    return e == null ? null : actions(id, e.action(), e.reason(), e.approval(), base, ids);
  }

  private RuleAction actions(
      String id, String action, String reason, String approval, String base, Set<String> ids) {
    if (!actions.checkId(id, Problems.pointer(base, "id"), ids)) {
      return null;
    }
    return actions.compile(id, action, reason, approval, base);
  }

  private List<Glob> globs(
      List<String> texts, char separator, boolean ignoreCase, String pointer, boolean path) {
    List<Glob> out = new ArrayList<>();
    for (int k = 0; k < size(texts); k++) {
      String t = texts.get(k);
      if (t == null || t.isEmpty()) {
        problems.add(Problems.pointer(pointer, k), "a pattern can not be empty");
        continue;
      }
      if (path && !t.startsWith("/") && !t.startsWith("*")) {
        problems.add(Problems.pointer(pointer, k), "path pattern '" + t + "' must start with '/'");
        continue;
      }
      out.add(Glob.compile(t, separator, ignoreCase));
    }
    return out;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  private static int size(List<?> list) {
    return list == null ? 0 : list.size();
  }

  static PolicyDocument.Guardrails orEmpty(PolicyDocument.Guardrails g) {
    return g != null ? g : new PolicyDocument.Guardrails(null, null, null, null);
  }
}
