/**
 * A PostgreSQL string literal for any text: an escape string (`E'…'`) with backslashes and
 * quotes doubled, which reads the same whatever `standard_conforming_strings` says.
 */
export function sqlLiteral(text: string): string {
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
