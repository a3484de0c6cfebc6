// xmllint (Debian package libxml2-utils) for the JUnit tests. Missing xmllint
// fails the tests: .ci/run installs it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const JUNIT_XSD = join(import.meta.dirname, '..', '..', 'schema', 'junit.xsd');

function xmllint(args: string[], xml: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('xmllint', [...args, '-'], { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint could not run (${r.error.message}); install it: apt-get install libxml2-utils`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Validates against schema/junit.xsd; returns xmllint's complaints ("" when valid). */
export function junitSchemaErrors(xml: string): string {
  const r = xmllint(['--noout', '--schema', JUNIT_XSD], xml);
  return r.status === 0 ? '' : r.stderr || `xmllint exit ${r.status}`;
}

/** An XPath expression's value, as xmllint decodes it (string(...), count(...)); xmllint adds one newline. */
export function xpath(xml: string, expr: string): string {
  const r = xmllint(['--xpath', expr], xml);
  if (r.status !== 0) throw new Error(`xmllint --xpath ${expr}: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '');
}
