/**
 * Converts an identifier written in camelCase, PascalCase, kebab-case or with spaces into snake_case.
 *
 * Acronyms stay together (`imapUID` → `imap_uid`, `HTMLPart` → `html_part`) and digits stick to the
 * word before them (`sha256Digest` → `sha256_digest`), which is what someone reading the SQL expects.
 * Written here rather than taken from TypeORM's StringUtils because that module is internal to
 * TypeORM and its output has changed between releases; a changed name would show up as schema drift.
 */
export function snakeCase(input: string): string {
  return (
    input
      // fooBar → foo_Bar, sha256Digest → sha256_Digest
      .replace(/([a-z\d])([A-Z])/g, '$1_$2')
      // HTMLPart → HTML_Part (the last capital starts the next word)
      .replace(/([A-Z]+)([A-Z][a-z\d])/g, '$1_$2')
      // kebab-case, dotted paths and spaces become separators
      .replace(/[\s.-]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^_|_$/g, '')
      .toLowerCase()
  );
}
