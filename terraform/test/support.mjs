// Shared helpers of the module tests: find and parse the .tf files with HashiCorp's HCL parser,
// read the README tables, and render the install template the way templatefile() does.
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const modulesDir = path.join(root, 'modules');
export const modules = fs
  .readdirSync(modulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Every .tf file under dir, examples included. */
export function tfFiles(dir = modulesDir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      found.push(...tfFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.tf')) {
      found.push(full);
    }
  }
  return found.sort();
}

/** The JSON form of one .tf file. */
export async function parseTf(file) {
  return parse(path.basename(file), fs.readFileSync(file, 'utf8'));
}

/** The top-level .tf files of a module, merged by block type (variable, output, resource...). */
export async function parseModule(name) {
  const dir = path.join(modulesDir, name);
  const merged = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
    const json = await parseTf(path.join(dir, file));
    for (const [kind, blocks] of Object.entries(json)) {
      if (Array.isArray(blocks)) {
        merged[kind] = [...(merged[kind] ?? []), ...blocks];
      } else {
        merged[kind] = { ...(merged[kind] ?? {}), ...blocks };
      }
    }
  }
  return merged;
}

/** The names in the first column of the table under "## heading" of a module's README. */
export function readmeTable(name, heading) {
  const text = fs.readFileSync(path.join(modulesDir, name, 'README.md'), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) {
    throw new Error(`README of ${name} has no "## ${heading}" section`);
  }
  const rest = text.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const rows = new Map();
  for (const line of section.split('\n')) {
    const match = line.match(/^\| `([a-z0-9_]+)` \|(.*)\|\s*$/);
    if (match) {
      rows.set(match[1], match[2].split('|').map((cell) => cell.trim()));
    }
  }
  return rows;
}

/**
 * Renders a template of Terraform's template language, restricted to what Ward's templates use:
 * ${name} substitutions, with $${ and %%{ as escapes. Anything else (directives, expressions)
 * is refused, so the control plane's renderer and templatefile() can never disagree.
 */
export function renderTemplate(text, vars) {
  return text.replace(/\$\$\{|%%\{|\$\{([^}]*)\}|%\{/g, (token, name) => {
    if (token === '$${') return '${';
    if (token === '%%{') return '%{';
    if (token === '%{') throw new Error('template directives are not supported');
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsupported template expression \${${name}}`);
    if (!(name in vars)) throw new Error(`template variable ${name} has no value`);
    return String(vars[name]);
  });
}

/** The ${name} variables a template uses. */
export function templateVariables(text) {
  const names = new Set();
  for (const match of text.replaceAll('$${', '').matchAll(/\$\{([a-z_][a-z0-9_]*)\}/g)) {
    names.add(match[1]);
  }
  return names;
}
